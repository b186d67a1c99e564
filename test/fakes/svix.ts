import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/** A Clerk/Svix webhook signing secret: `whsec_` + base64 key. */
export function createSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

/**
 * Signs a delivery the way Svix does (Standard Webhooks): HMAC-SHA256 with the base64-decoded
 * secret over `${id}.${timestamp}.${body}`, sent as `svix-signature: v1,<base64>`.
 */
export function signDelivery(secret: string, payload: unknown, options: { id?: string; timestamp?: number } = {}): SignedDelivery {
  const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const body = JSON.stringify(payload);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    body,
    headers: { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': `v1,${signature}` },
  };
}

/** A Clerk `user.*` event body. */
export function clerkUserEvent(
  type: 'user.created' | 'user.updated',
  id: string,
  fields: { email?: string; first?: string; last?: string; image?: string } = {},
) {
  return {
    type,
    object: 'event',
    data: {
      id,
      object: 'user',
      email_addresses: fields.email ? [{ id: 'idn_1', email_address: fields.email }] : [],
      primary_email_address_id: fields.email ? 'idn_1' : null,
      first_name: fields.first ?? null,
      last_name: fields.last ?? null,
      image_url: fields.image ?? null,
      username: null,
    },
  };
}
