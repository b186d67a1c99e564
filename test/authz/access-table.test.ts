import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { allProcedures, plausibleParameters, restRequest, trpcRequest, type ProcedureEntry } from './procedures.ts';

const ADMIN = 'admin_authz';
const MEMBER = 'member_authz';

const procedures = allProcedures();
const adminProcedures = procedures.filter((procedure) => procedure.access === 'admin');
const memberProcedures = procedures.filter((procedure) => procedure.access === 'member');
const overRest = (list: ProcedureEntry[]) => list.filter((procedure) => procedure.rest !== undefined);
const overHttp = (list: ProcedureEntry[]) => list.filter((procedure) => procedure.type !== 'subscription');

/**
 * Inputs a member's call would succeed with if the guard were missing, so a 403 cannot come from
 * validation. Procedures not listed get their path parameters and nothing else.
 */
const validInputs: Readonly<Record<string, Record<string, unknown>>> = {
  'sources.create': { url: 'https://feeds.example.com/authz-created.xml', teamIds: ['nba-bos'] },
  'sources.update': { name: 'Renamed by a member', status: 'PAUSED' },
  'sources.import': {
    opml: '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body><outline text="x" xmlUrl="https://feeds.example.com/authz-imported.xml"/></body></opml>',
  },
  'games.import': {
    rows: [
      {
        league: 'NBA',
        season: '2026-27',
        startsAt: '2026-10-20T23:30:00Z',
        homeTeamId: 'nba-bos',
        awayTeamId: 'nba-nyk',
        status: 'FINAL',
        homeScore: 100,
        awayScore: 99,
        externalId: 'authz-game',
      },
    ],
  },
};

describe('every procedure declares who may call it', () => {
  it('gives every procedure of appRouter an access of member or admin', () => {
    expect(procedures.length).toBeGreaterThan(20);
    const undeclared = procedures.filter((procedure) => procedure.access !== 'member' && procedure.access !== 'admin');
    expect(undeclared.map((procedure) => procedure.path)).toEqual([]);
  });

  it('has admin procedures to check, each with a REST mapping', () => {
    expect(adminProcedures.length).toBeGreaterThan(0);
    expect(adminProcedures.map((procedure) => procedure.path)).toContain('games.import');
    expect(adminProcedures.filter((procedure) => procedure.rest === undefined).map((procedure) => procedure.path)).toEqual([]);
  });
});

describe('the access table, walked over the real server', () => {
  let app: TestApp;
  let sourceId: string;

  beforeAll(async () => {
    app = await startTestApp({ database: 'pglite', env: { PRESSBOX_ADMIN_USER_IDS: ADMIN } });
    const source = await app.running.services.prisma.source.create({
      data: {
        url: 'https://feeds.example.com/authz-existing.xml',
        name: 'Existing source',
        // Not due: the scheduler leaves it alone, so only a call that got past the guard could touch it.
        nextFetchAt: new Date('2100-01-01T00:00:00Z'),
        teams: { create: { teamId: 'nba-bos' } },
      },
    });
    sourceId = source.id;
  });
  afterAll(async () => {
    await app.close();
  });

  /** The input a member sends: real ids where the path takes them, and a valid body. */
  const memberInput = (procedure: ProcedureEntry): Record<string, unknown> => {
    const parameters = plausibleParameters({ sourceId });
    const names = procedure.rest ? [...procedure.rest.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '') : [];
    return { ...Object.fromEntries(names.map((name) => [name, parameters[name] ?? 'x'])), ...validInputs[procedure.path] };
  };

  /** Everything an admin procedure could change, to prove a refused call changed none of it. */
  const snapshot = async () => {
    const { prisma } = app.running.services;
    return {
      sources: await prisma.source.findMany({ select: { id: true, url: true, name: true, status: true }, orderBy: { url: 'asc' } }),
      games: await prisma.game.count(),
      feedFetches: (await app.running.services.queue.counts())['feed-fetch'] ?? null,
    };
  };

  it.each(overRest(adminProcedures))('refuses a member $path over REST with 403 and changes nothing', async (procedure) => {
    const before = await snapshot();
    const { path, init } = restRequest(procedure.rest ?? { method: 'GET', path: '/' }, memberInput(procedure));
    const response = await app.fetch(path, { ...init, as: MEMBER });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'FORBIDDEN', message: 'This procedure is for admins' });
    expect(await snapshot()).toEqual(before);
  });

  it.each(overHttp(adminProcedures))('refuses a member $path over tRPC with 403 and changes nothing', async (procedure) => {
    const before = await snapshot();
    const { path, init } = trpcRequest(procedure, memberInput(procedure));
    const response = await app.fetch(path, { ...init, as: MEMBER });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { data: { code: 'FORBIDDEN', httpStatus: 403 } } });
    expect(await snapshot()).toEqual(before);
  });

  it.each(overRest(adminProcedures))('lets an admin past the guard of $path', async (procedure) => {
    const ids = plausibleParameters();
    const names = [...(procedure.rest?.path ?? '').matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
    const { path, init } = restRequest(
      procedure.rest ?? { method: 'GET', path: '/' },
      Object.fromEntries(names.map((name) => [name, ids[name] ?? 'x'])),
    );
    const response = await app.fetch(path, { ...init, as: ADMIN });
    expect([401, 403]).not.toContain(response.status);
  });

  it.each(overRest(procedures))('refuses an anonymous $path over REST with 401 JSON', async (procedure) => {
    const { path, init } = restRequest(procedure.rest ?? { method: 'GET', path: '/' }, memberInput(procedure));
    const response = await app.fetch(path, init);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="pressbox"');
    expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED', requestId: response.headers.get('x-request-id') });
  });

  it.each(overHttp(procedures))('refuses an anonymous $path over tRPC with 401', async (procedure) => {
    const { path, init } = trpcRequest(procedure, memberInput(procedure));
    const response = await app.fetch(path, init);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { data: { code: 'UNAUTHORIZED', httpStatus: 401 } } });
  });

  it.each(overRest(memberProcedures))('lets a member call $path', async (procedure) => {
    const { path, init } = restRequest(procedure.rest ?? { method: 'GET', path: '/' }, memberInput(procedure));
    const response = await app.fetch(path, { ...init, as: MEMBER });
    expect([401, 403]).not.toContain(response.status);
  });
});
