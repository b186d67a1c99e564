import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { allProcedures, plausibleParameters, restRequest, trpcRequest } from './procedures.ts';

const ALICE = 'user_alice_isolation';
const BOB = 'user_bob_isolation';
/** Values only Bob's preferences hold, so any answer to Alice that carries them is a leak. */
const BOB_TIMEZONE = 'Pacific/Chatham';
const BOB_LOCALE = 'mi-NZ';

const procedures = allProcedures().filter((procedure) => procedure.access === 'member' && procedure.type !== 'subscription');

/** Names a field that picks whose data a call is about. */
const userField = /^(user|owner|account|member|subject|sub)(id|ids)?$/i;

/**
 * What Alice sends to each procedure besides path parameters: a valid body where one is needed,
 * always with Bob's id slipped in under every name a careless procedure might read.
 */
const aliceBodies: Readonly<Record<string, Record<string, unknown>>> = {
  'me.preferences.put': {
    summaryLength: 'SHORT',
    digest: 'DAILY',
    timezone: 'Europe/Paris',
    locale: 'fr-FR',
    followedTeamIds: ['nba-bos'],
    version: 1,
  },
  'me.preferences.patch': { timezone: 'Europe/Berlin', version: 2 },
  'me.follow': { teamId: 'nhl-sea' },
  'me.unfollow': { teamId: 'epl-liv' },
};
const smuggled = { userId: BOB, user: BOB, ownerId: BOB, sub: BOB };

describe('no user reaches another user’s preferences or follows', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ database: 'pglite' });
    const response = await app.fetch('/api/v1/me/preferences', {
      method: 'PUT',
      as: BOB,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        summaryLength: 'LONG',
        digest: 'WEEKLY',
        timezone: BOB_TIMEZONE,
        locale: BOB_LOCALE,
        followedTeamIds: ['epl-liv', 'nhl-sea'],
        version: 1,
      }),
    });
    expect(response.status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  const bobsState = async () => {
    const { prisma } = app.running.services;
    return {
      preferences: await prisma.preferences.findUnique({ where: { userId: BOB } }),
      follows: (await prisma.follow.findMany({ where: { userId: BOB }, orderBy: { teamId: 'asc' } })).map((follow) => follow.teamId),
    };
  };

  it('takes no user id in the input of any procedure', () => {
    const withUserField = allProcedures().flatMap((procedure) =>
      procedure.inputFields.filter((field) => userField.test(field)).map((field) => `${procedure.path}.${field}`),
    );
    expect(withUserField).toEqual([]);
  });

  it('lets Alice call every member procedure over REST, with Bob’s id slipped in, without reading or changing Bob’s data', async () => {
    const before = await bobsState();
    expect(before.follows).toEqual(['epl-liv', 'nhl-sea']);
    for (const procedure of procedures) {
      if (!procedure.rest) continue;
      const parameters = plausibleParameters({ teamId: 'epl-liv' });
      const names = [...procedure.rest.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
      const input = {
        ...Object.fromEntries(names.map((name) => [name, parameters[name] ?? 'x'])),
        ...smuggled,
        ...aliceBodies[procedure.path],
      };
      const { path, init } = restRequest(procedure.rest, input);
      const response = await app.fetch(path, { ...init, as: ALICE });
      const text = await response.text();
      expect.soft(text, procedure.path).not.toContain(BOB);
      expect.soft(text, procedure.path).not.toContain(BOB_TIMEZONE);
      expect.soft(text, procedure.path).not.toContain(BOB_LOCALE);
    }
    expect(await bobsState()).toEqual(before);
    // Alice's own calls went through: the walk changed her data, not nothing.
    expect(await (await app.fetch('/api/v1/me/preferences', { as: ALICE })).json()).toMatchObject({
      timezone: 'Europe/Berlin',
      locale: 'fr-FR',
      followedTeamIds: ['nba-bos', 'nhl-sea'],
    });
  });

  it('does the same over tRPC', async () => {
    const before = await bobsState();
    for (const procedure of procedures) {
      const input = { teamId: 'nhl-sea', ...plausibleParameters({ teamId: 'nhl-sea' }), ...smuggled, ...aliceBodies[procedure.path] };
      const { path, init } = trpcRequest(procedure, input);
      const response = await app.fetch(path, { ...init, as: ALICE });
      const text = await response.text();
      expect.soft(text, procedure.path).not.toContain(BOB);
      expect.soft(text, procedure.path).not.toContain(BOB_TIMEZONE);
    }
    expect(await bobsState()).toEqual(before);
  });

  it('applies Alice’s changes to Alice alone, whatever user id her request names', async () => {
    const send = (method: string, path: string, body: unknown) =>
      app.fetch(`/api/v1${path}?userId=${BOB}`, {
        method,
        as: ALICE,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const alice = (await (await app.fetch('/api/v1/me/preferences', { as: ALICE })).json()) as { version: number };
    expect((await send('PATCH', '/me/preferences', { userId: BOB, timezone: 'Asia/Seoul', version: alice.version })).status).toBe(200);
    expect((await send('PUT', '/me/follows/nba-den', { userId: BOB })).status).toBe(200);
    expect((await send('DELETE', '/me/follows/nhl-sea', { userId: BOB })).status).toBe(200);

    const mine = await (await app.fetch(`/api/v1/me/preferences?userId=${BOB}`, { as: ALICE })).json();
    expect(mine).toMatchObject({ timezone: 'Asia/Seoul' });
    expect((mine as { followedTeamIds: string[] }).followedTeamIds).toContain('nba-den');
    expect(await (await app.fetch('/api/v1/me/preferences', { as: BOB })).json()).toMatchObject({
      timezone: BOB_TIMEZONE,
      locale: BOB_LOCALE,
      followedTeamIds: ['epl-liv', 'nhl-sea'],
    });
    expect(await (await app.fetch(`/api/v1/me?userId=${BOB}`, { as: ALICE })).json()).toMatchObject({ id: ALICE });
  });
});
