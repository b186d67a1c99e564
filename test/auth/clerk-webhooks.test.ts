import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { clerkUserEvent, createSigningSecret, signDelivery } from '../fakes/svix.ts';

describe('Clerk webhooks', () => {
  const secret = createSigningSecret();
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { CLERK_WEBHOOK_SIGNING_SECRET: secret, PRESSBOX_ADMIN_USER_IDS: 'user_hook_admin' } });
  });
  afterAll(async () => {
    await app.close();
  });

  const deliver = (delivery: { headers: Record<string, string>; body: string }) =>
    app.fetch('/webhooks/clerk', { method: 'POST', headers: delivery.headers, body: delivery.body });
  const user = (id: string) => app.running.services.prisma.user.findUnique({ where: { id } });

  it('creates a user on user.created and updates it on user.updated', async () => {
    const created = await deliver(
      signDelivery(secret, clerkUserEvent('user.created', 'user_hook', { email: 'ann@example.com', first: 'Ann', last: 'Lee' })),
    );
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ status: 'applied' });
    expect(await user('user_hook')).toMatchObject({ email: 'ann@example.com', name: 'Ann Lee', role: 'MEMBER' });
    await deliver(signDelivery(secret, clerkUserEvent('user.updated', 'user_hook', { email: 'ann@new.example', first: 'Ann' })));
    expect(await user('user_hook')).toMatchObject({ email: 'ann@new.example', name: 'Ann' });
  });

  it('gives configured admins the ADMIN role', async () => {
    await deliver(signDelivery(secret, clerkUserEvent('user.created', 'user_hook_admin')));
    expect(await user('user_hook_admin')).toMatchObject({ role: 'ADMIN' });
  });

  it('removes the user, their preferences and follows on user.deleted', async () => {
    await deliver(signDelivery(secret, clerkUserEvent('user.created', 'user_gone', { email: 'gone@example.com' })));
    await app.fetch('/api/v1/me/follows/nba-bos', { method: 'PUT', as: 'user_gone' });
    await app.fetch('/api/v1/me/preferences', { as: 'user_gone' });
    const deleted = await deliver(
      signDelivery(secret, { type: 'user.deleted', object: 'event', data: { id: 'user_gone', deleted: true, object: 'user' } }),
    );
    expect(deleted.status).toBe(200);
    const prisma = app.running.services.prisma;
    expect(await user('user_gone')).toBeNull();
    expect(await prisma.preferences.count({ where: { userId: 'user_gone' } })).toBe(0);
    expect(await prisma.follow.count({ where: { userId: 'user_gone' } })).toBe(0);
    await deliver(signDelivery(secret, clerkUserEvent('user.updated', 'user_gone', { email: 'back@example.com' })));
    expect(await user('user_gone')).toBeNull();
  });

  it('answers a replayed delivery 200 and changes nothing', async () => {
    const first = signDelivery(secret, clerkUserEvent('user.created', 'user_replay', { email: 'one@example.com' }));
    await deliver(first);
    await deliver(signDelivery(secret, clerkUserEvent('user.updated', 'user_replay', { email: 'two@example.com' })));
    const replay = await deliver(first);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    expect(await user('user_replay')).toMatchObject({ email: 'two@example.com' });
  });

  it.each([
    [
      'a tampered body',
      () => {
        const delivery = signDelivery(secret, clerkUserEvent('user.created', 'user_evil', { email: 'a@example.com' }));
        return { ...delivery, body: delivery.body.replace('a@example.com', 'evil@example.com') };
      },
    ],
    ['the wrong secret', () => signDelivery(createSigningSecret(), clerkUserEvent('user.created', 'user_evil'))],
    [
      'a stale timestamp',
      () => signDelivery(secret, clerkUserEvent('user.created', 'user_evil'), { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    ],
    [
      'missing signature headers',
      () => {
        const delivery = signDelivery(secret, clerkUserEvent('user.created', 'user_evil'));
        const { ['svix-signature']: _dropped, ...headers } = delivery.headers;
        return { ...delivery, headers };
      },
    ],
  ])('refuses %s with 400 and writes nothing', async (_name, make) => {
    const delivery = make();
    const response = await deliver(delivery);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await user('user_evil')).toBeNull();
    expect(await app.running.services.prisma.webhookDelivery.count({ where: { id: delivery.headers['svix-id'] ?? '' } })).toBe(0);
  });

  it('records but ignores event types it does not handle', async () => {
    const response = await deliver(signDelivery(secret, { type: 'session.created', object: 'event', data: { id: 'sess_1' } }));
    expect(await response.json()).toEqual({ status: 'ignored' });
  });
});
