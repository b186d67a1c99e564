import {
  applyUserWebhook,
  deleteUser,
  ensureUser,
  followedTeamIds,
  followTeam,
  getPreferences,
  pruneWebhookDeliveries,
  recordWebhookDelivery,
  requireUser,
  syncUser,
  unfollowTeam,
  updatePreferences,
  viewPreferences,
} from '@pressbox/db';
import { attempt } from './normalise.ts';
import type { RepositoryCase } from './case.ts';
import { anyTeam, type CaseContext } from './world.ts';

function userId(ctx: CaseContext, index: number): string {
  return `${ctx.tag}-user-${String(index)}`;
}

/** The world's users, one never created, and each call's answer for every one of them. */
async function eachUser(ctx: CaseContext, read: (id: string, index: number) => Promise<unknown>): Promise<unknown[]> {
  const ids = [...ctx.world.users.map((_user, index) => userId(ctx, index)), `${ctx.tag}-nobody`];
  const out: unknown[] = [];
  for (const [index, id] of ids.entries()) out.push(await attempt(() => read(id, index)));
  return out;
}

async function ensureWorldUsers(ctx: CaseContext): Promise<unknown> {
  const out: unknown[] = [];
  for (const [index, spec] of ctx.world.users.entries()) {
    const identity = { id: userId(ctx, index), email: spec.email, name: `User ${String(index)}` };
    out.push(await ensureUser(ctx.prisma, identity, spec.role));
    // Seen again with the other role: the stored role follows the configured one.
    out.push(await ensureUser(ctx.prisma, identity, spec.role === 'ADMIN' ? 'MEMBER' : 'ADMIN'));
    out.push(await ensureUser(ctx.prisma, identity, spec.role));
  }
  return out;
}

async function webhooks(ctx: CaseContext): Promise<unknown> {
  const delivery = (n: number) => `${ctx.tag}-delivery-${String(n)}`;
  const identity = { id: `${ctx.tag}-hooked`, email: 'hook@example.com', name: 'Hooked', imageUrl: null };
  return [
    await applyUserWebhook(ctx.prisma, delivery(1), 'user.created', { kind: 'sync', identity, role: 'MEMBER', create: true }),
    await applyUserWebhook(ctx.prisma, delivery(1), 'user.created', { kind: 'sync', identity, role: 'MEMBER', create: true }),
    await applyUserWebhook(ctx.prisma, delivery(2), 'user.updated', {
      kind: 'sync',
      identity: { ...identity, name: 'Renamed' },
      role: 'ADMIN',
      create: false,
    }),
    await attempt(() => requireUser(ctx.prisma, identity.id)),
    await applyUserWebhook(ctx.prisma, delivery(3), 'session.created', { kind: 'ignore' }),
    await applyUserWebhook(ctx.prisma, delivery(4), 'user.deleted', { kind: 'delete', userId: identity.id }),
    await attempt(() => requireUser(ctx.prisma, identity.id)),
    await applyUserWebhook(ctx.prisma, delivery(5), 'x'.repeat(150), { kind: 'ignore' }),
  ];
}

async function changePreferences(ctx: CaseContext): Promise<unknown> {
  return eachUser(ctx, async (id, index) => {
    const spec = ctx.world.users[index];
    const stale = await attempt(() => updatePreferences(ctx.prisma, id, 7, { digest: 'DAILY' }));
    if (!spec)
      return { stale, unknownTeam: await attempt(() => updatePreferences(ctx.prisma, id, 1, { followedTeamIds: ['no-such-team'] })) };
    const followed = spec.follows.map((at) => anyTeam(ctx, at).id);
    const change = { summaryLength: spec.summaryLength, digest: spec.digest, timezone: spec.timezone, locale: spec.locale };
    const first = await updatePreferences(ctx.prisma, id, 1, { ...change, followedTeamIds: [...followed, ...followed] });
    const second = await updatePreferences(ctx.prisma, id, first.version, { followedTeamIds: followed.slice(1) });
    const third = await updatePreferences(ctx.prisma, id, second.version, { followedTeamIds: followed });
    return { stale, first, second, third, empty: await updatePreferences(ctx.prisma, id, third.version, {}) };
  });
}

async function follows(ctx: CaseContext, unfollow: boolean): Promise<unknown> {
  return eachUser(ctx, async (id, index) => {
    const spec = ctx.world.users[index];
    const team = anyTeam(ctx, unfollow ? (spec?.unfollow ?? 3) : (spec?.follows[0] ?? 5) + 1).id;
    const change = unfollow ? unfollowTeam : followTeam;
    return [
      await attempt(() => change(ctx.prisma, id, team)),
      await attempt(() => change(ctx.prisma, id, team)),
      await attempt(() => change(ctx.prisma, id, 'no-such-team')),
      await getPreferences(ctx.prisma, id),
    ];
  });
}

export const peopleCases: Record<string, RepositoryCase> = {
  ensureUser: { phase: 1, run: ensureWorldUsers },
  syncUser: {
    phase: 1,
    run: async (ctx) => [
      await syncUser(ctx.prisma, { id: userId(ctx, 0), email: 'synced@example.com', name: null }, 'MEMBER', false),
      await syncUser(ctx.prisma, { id: `${ctx.tag}-synced`, imageUrl: 'https://img.example/x.png' }, 'ADMIN', true),
      await syncUser(ctx.prisma, { id: `${ctx.tag}-ghost` }, 'MEMBER', false),
      await attempt(() => requireUser(ctx.prisma, `${ctx.tag}-synced`)),
    ],
  },
  recordWebhookDelivery: {
    phase: 1,
    run: async (ctx) => [
      await recordWebhookDelivery(ctx.prisma, `${ctx.tag}-raw`, 'user.created'),
      await recordWebhookDelivery(ctx.prisma, `${ctx.tag}-raw`, 'user.created'),
    ],
  },
  applyUserWebhook: { phase: 1, run: webhooks },
  requireUser: { phase: 3, run: (ctx) => eachUser(ctx, (id) => requireUser(ctx.prisma, id)) },
  getPreferences: { phase: 1, run: (ctx) => eachUser(ctx, (id) => getPreferences(ctx.prisma, id)) },
  updatePreferences: { phase: 2, run: changePreferences },
  followTeam: { phase: 4, run: (ctx) => follows(ctx, false) },
  unfollowTeam: { phase: 4, run: (ctx) => follows(ctx, true) },
  followedTeamIds: { phase: 3, run: (ctx) => eachUser(ctx, (id) => followedTeamIds(ctx.prisma, id)) },
  viewPreferences: { phase: 3, run: (ctx) => eachUser(ctx, (id) => viewPreferences(ctx.prisma, id)) },
  deleteUser: {
    phase: 5,
    run: async (ctx) => [
      await deleteUser(ctx.prisma, userId(ctx, 0)),
      await deleteUser(ctx.prisma, userId(ctx, 0)),
      await ctx.prisma.follow.count({ where: { userId: userId(ctx, 0) } }),
    ],
  },
  pruneWebhookDeliveries: {
    phase: 5,
    run: async (ctx) => [
      await pruneWebhookDeliveries(ctx.prisma, new Date(Date.now() - 86_400_000)),
      await ctx.prisma.webhookDelivery.count({ where: { id: { startsWith: ctx.tag } } }),
      await pruneWebhookDeliveries(ctx.prisma, new Date(Date.now() + 60_000)),
    ],
  },
};
