import { applyUserWebhook, type PrismaClient, type Role, type UserWebhookChange } from '@pressbox/db';
import { z } from 'zod';

const emailAddress = z.object({ id: z.string(), email_address: z.string().max(320) });

const clerkUser = z.object({
  id: z.string().min(1).max(128),
  email_addresses: z.array(emailAddress).max(100).default([]),
  primary_email_address_id: z.string().nullish(),
  first_name: z.string().max(200).nullish(),
  last_name: z.string().max(200).nullish(),
  username: z.string().max(200).nullish(),
  image_url: z.string().max(2048).nullish(),
});

const clerkEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user.created'), data: clerkUser }),
  z.object({ type: z.literal('user.updated'), data: clerkUser }),
  z.object({ type: z.literal('user.deleted'), data: z.object({ id: z.string().min(1).max(128), deleted: z.boolean().optional() }) }),
]);

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

function identityOf(user: z.infer<typeof clerkUser>) {
  const primary = user.email_addresses.find((address) => address.id === user.primary_email_address_id) ?? user.email_addresses[0];
  const name = [user.first_name, user.last_name].filter((part) => part && part.trim() !== '').join(' ') || user.username || null;
  return { id: user.id, email: primary?.email_address ?? null, name, imageUrl: user.image_url ?? null };
}

/**
 * Applies one verified Clerk webhook delivery. The delivery id (`svix-id`) is recorded in the
 * same transaction as the change, so a replay answers 200 and changes nothing, and a failure
 * leaves no record (Clerk retries). `user.deleted` removes the user's personal data,
 * preferences and follows. A `user.updated` for a user deleted earlier does not bring them back.
 */
export async function applyClerkWebhook(
  prisma: PrismaClient,
  deliveryId: string,
  event: { type: string; data: unknown },
  roleOf: (userId: string) => Role,
): Promise<{ outcome: WebhookOutcome; userId?: string }> {
  const parsed = clerkEvent.safeParse(event);
  const change = changeOf(parsed.success ? parsed.data : undefined, roleOf);
  const applied = await applyUserWebhook(prisma, deliveryId, event.type, change);
  if (!applied) return { outcome: 'duplicate' };
  if (change.kind === 'ignore') return { outcome: 'ignored' };
  return { outcome: 'applied', userId: change.kind === 'delete' ? change.userId : change.identity.id };
}

function changeOf(event: z.infer<typeof clerkEvent> | undefined, roleOf: (userId: string) => Role): UserWebhookChange {
  if (!event) return { kind: 'ignore' };
  if (event.type === 'user.deleted') return { kind: 'delete', userId: event.data.id };
  const identity = identityOf(event.data);
  return { kind: 'sync', identity, role: roleOf(identity.id), create: event.type === 'user.created' };
}
