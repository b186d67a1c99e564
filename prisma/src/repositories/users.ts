import type { Prisma, PrismaClient, Role, User } from '../generated/prisma/client.ts';

export interface UserIdentity {
  id: string;
  email?: string | null | undefined;
  name?: string | null | undefined;
  imageUrl?: string | null | undefined;
}

/**
 * Creates the user on first sight and returns it; concurrent first requests of one user create
 * exactly one row (INSERT … ON CONFLICT DO NOTHING, then read). Keeps the stored role in step
 * with the configured one.
 */
export async function ensureUser(prisma: PrismaClient, identity: UserIdentity, role: Role): Promise<User> {
  await prisma.$executeRaw`
    INSERT INTO "User" ("id", "email", "name", "imageUrl", "role", "createdAt", "updatedAt")
    VALUES (${identity.id}, ${identity.email ?? null}, ${identity.name ?? null}, ${identity.imageUrl ?? null},
            ${role}::"Role", now(), now())
    ON CONFLICT ("id") DO NOTHING`;
  const user = await prisma.user.findUniqueOrThrow({ where: { id: identity.id } });
  if (user.role === role) return user;
  return prisma.user.update({ where: { id: identity.id }, data: { role } });
}

/** Writes what Clerk says about a user (its webhooks); creates the user when `create` is set. */
export async function syncUser(prisma: Prisma.TransactionClient, identity: UserIdentity, role: Role, create: boolean): Promise<boolean> {
  const data = { email: identity.email ?? null, name: identity.name ?? null, imageUrl: identity.imageUrl ?? null };
  if (create) {
    await prisma.user.upsert({ where: { id: identity.id }, create: { id: identity.id, role, ...data }, update: data });
    return true;
  }
  const { count } = await prisma.user.updateMany({ where: { id: identity.id }, data });
  return count > 0;
}

/** Deletes a user and, by cascade, their preferences and follows. */
export async function deleteUser(prisma: Prisma.TransactionClient, id: string): Promise<boolean> {
  const { count } = await prisma.user.deleteMany({ where: { id } });
  return count > 0;
}

/** Records a webhook delivery; false when it was seen before (a replay). */
export async function recordWebhookDelivery(prisma: Prisma.TransactionClient, id: string, type: string): Promise<boolean> {
  const inserted = await prisma.$executeRaw`
    INSERT INTO "WebhookDelivery" ("id", "type", "receivedAt") VALUES (${id}, ${type}, now())
    ON CONFLICT ("id") DO NOTHING`;
  return inserted > 0;
}

/** What one webhook delivery does to the users table. */
export type UserWebhookChange =
  { kind: 'sync'; identity: UserIdentity; role: Role; create: boolean } | { kind: 'delete'; userId: string } | { kind: 'ignore' };

/**
 * Applies a webhook delivery once: the delivery id is recorded in the same transaction as the
 * change, so a replay changes nothing (false) and a failure leaves no record (the sender retries).
 */
export async function applyUserWebhook(
  prisma: PrismaClient,
  deliveryId: string,
  type: string,
  change: UserWebhookChange,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    if (!(await recordWebhookDelivery(tx, deliveryId, type.slice(0, 100)))) return false;
    if (change.kind === 'delete') await deleteUser(tx, change.userId);
    if (change.kind === 'sync') await syncUser(tx, change.identity, change.role, change.create);
    return true;
  });
}

/** Forgets webhook delivery ids received before `before`; returns how many. */
export async function pruneWebhookDeliveries(prisma: PrismaClient, before: Date): Promise<number> {
  return (await prisma.webhookDelivery.deleteMany({ where: { receivedAt: { lt: before } } })).count;
}

/** The user row of an id. */
export function requireUser(prisma: PrismaClient, id: string): Promise<User> {
  return prisma.user.findUniqueOrThrow({ where: { id } });
}
