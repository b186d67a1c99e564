import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { adminApi, rssFeed, until, type FeedItem } from '../live/support.ts';
import { freePort, repoRoot } from '../support/process.ts';
import {
  compileProject,
  installedPackages,
  installProject,
  pack,
  startPressboxProcess,
  type PackedTarball,
  type PressboxProcess,
} from './support.ts';

/** The compiled fixture `router-types/src/consumer.ts`, as the test drives it. */
interface ConsumerModule {
  connect(options: { url: string; socketUrl?: () => string; token: () => string; WebSocket?: unknown; retryDelayMs?: number }): {
    me(): Promise<{ id: string }>;
    teams(league?: string): Promise<{ id: string; league: string }[]>;
    follow(teamId: string): Promise<boolean>;
    team(teamId: string): Promise<{ id: string }>;
    onNews(
      teamId: string,
      handlers: { onStarted(): void; onNews(item: { title: string }, eventId: string): void; onError(data: unknown): void },
    ): { unsubscribe(): void };
    close(): Promise<void>;
  };
  errorData(cause: unknown): { code: string; requestId: string; issues?: { path: unknown[] }[] } | undefined;
}

const fixture = join(repoRoot, 'test/consumers/router-types');
const base = Date.UTC(2026, 2, 1, 12, 0, 0);
const story = (key: string, minutes: number): FeedItem => ({
  guid: `consumer-${key}`,
  title: `Story ${key}`,
  publishedAt: new Date(base + minutes * 60_000),
});

/** The README's frontend example: the TypeScript block that imports `@pressbox/api-types`. */
function readmeSnippet(readme: string): string {
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .find((code) => code.includes("from '@pressbox/api-types'"));
  if (!block) throw new Error('README.md has no TypeScript example importing @pressbox/api-types');
  return block;
}

describe('a frontend project outside the repository, on the packed @pressbox/api-types', () => {
  let dir: string;
  let tarballs: PackedTarball[];
  let compiled: { code: number; output: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pressbox-consumer-'));
    tarballs = await Promise.all(
      [join(repoRoot, 'server/api-types'), join(repoRoot, 'node_modules/@trpc/client'), join(repoRoot, 'node_modules/@trpc/server')].map(
        (folder) => pack(folder, dir),
      ),
    );
    await installProject(join(dir, 'project'), fixture, tarballs);
    await writeFile(join(dir, 'project/src/readme.ts'), readmeSnippet(await readFile(join(repoRoot, 'README.md'), 'utf8')));
    compiled = await compileProject(join(dir, 'project'));
  }, 180_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('installs with @trpc/client and nothing of the server (no Prisma, BullMQ, Zod, Express)', async () => {
    expect(await installedPackages(join(dir, 'project'))).toEqual(['@pressbox/api-types', '@trpc/client', '@trpc/server']);
    const types = tarballs.find((tarball) => tarball.name === '@pressbox/api-types');
    expect(types?.bytes).toBeLessThan(50_000);
  });

  it('type-checks under strict without skipLibCheck, the expected errors and the README example included', () => {
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });

  describe('against a live Pressbox', () => {
    let pressbox: PressboxProcess;
    let feeds: FeedServer;
    let consumer: ConsumerModule;
    let deadUrl: string;

    beforeAll(async () => {
      feeds = await startFeedServer();
      pressbox = await startPressboxProcess(join(dir, 'data'), {
        FEED_ALLOW_PRIVATE_NETWORKS: 'true',
        PRESSBOX_ADMIN_USER_IDS: 'admin_consumer',
      });
      consumer = (await import(pathToFileURL(join(dir, 'project/dist/consumer.js')).href)) as ConsumerModule;
      deadUrl = `http://127.0.0.1:${String(await freePort())}`;
    }, 120_000);
    afterAll(async () => {
      await pressbox.stop();
      await feeds.close();
    });

    const admin = () =>
      adminApi((path, init) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${pressbox.token('admin_consumer')}`);
        return fetch(`${pressbox.url}${path}`, { ...init, headers });
      });

    it('answers queries without an input object, a mutation, and typed errors with the request id and issues', async () => {
      const client = consumer.connect({ url: pressbox.url, token: () => pressbox.token('fan_consumer'), WebSocket });
      try {
        expect(await client.me()).toMatchObject({ id: 'fan_consumer' });
        const teams = await client.teams();
        expect(teams).toHaveLength(20);
        expect((await client.teams('NHL')).every((team) => team.league === 'NHL')).toBe(true);
        expect(await client.follow('nba-bos')).toBe(true);

        const missing = await client.team('nba-none').catch((error: unknown) => consumer.errorData(error));
        expect(missing).toMatchObject({ code: 'NOT_FOUND', requestId: expect.any(String) as unknown });
        const invalid = await client.team('').catch((error: unknown) => consumer.errorData(error));
        expect(invalid).toMatchObject({
          code: 'BAD_REQUEST',
          requestId: expect.any(String) as unknown,
          issues: expect.arrayContaining([expect.objectContaining({ path: ['teamId'] })]) as unknown,
        });
      } finally {
        await client.close();
      }
    });

    it('streams news live and resumes across a server restart with no gap and no duplicate', async () => {
      let online = true;
      const client = consumer.connect({
        url: pressbox.url,
        socketUrl: () => (online ? pressbox.url : deadUrl),
        token: () => pressbox.token('fan_consumer'),
        WebSocket,
        retryDelayMs: 50,
      });
      const titles: string[] = [];
      const eventIds: string[] = [];
      const errors: unknown[] = [];
      let started = 0;
      const subscription = client.onNews('nba-bos', {
        onStarted: () => (started += 1),
        onNews: (item, eventId) => {
          titles.push(item.title);
          eventIds.push(eventId);
        },
        onError: (data) => errors.push(data),
      });
      try {
        await until(() => started === 1, 15_000, 'the subscription to start');
        const path = '/consumer/bos.xml';
        const items = [story('1', 0)];
        feeds.route(path, { kind: 'document', body: rssFeed('Consumer desk', items), contentType: 'application/rss+xml' });
        const created = await admin().addSource(feeds.url(path), ['nba-bos']);
        await admin().jobDone(created.jobId);
        await until(() => titles.length === 1, 15_000, 'the first story live');

        // The client cannot reach the new process until the second story is stored: only a
        // resume from its last event id can bring it.
        online = false;
        await pressbox.restart();
        items.push(story('2', 1));
        feeds.route(path, { kind: 'document', body: rssFeed('Consumer desk', items), contentType: 'application/rss+xml' });
        await admin().jobDone(await admin().refresh(created.sourceId));
        online = true;
        await until(() => started === 2 && titles.length === 2, 20_000, 'the resumed subscription');

        items.push(story('3', 2));
        feeds.route(path, { kind: 'document', body: rssFeed('Consumer desk', items), contentType: 'application/rss+xml' });
        await admin().jobDone(await admin().refresh(created.sourceId));
        await until(() => titles.length === 3, 15_000, 'the third story live');

        expect(titles).toEqual(['Story 1', 'Story 2', 'Story 3']);
        expect(new Set(eventIds).size).toBe(3);
        expect(errors).toEqual([]);
      } finally {
        subscription.unsubscribe();
        await client.close();
      }
    }, 90_000);
  });
});
