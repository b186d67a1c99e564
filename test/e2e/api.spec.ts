import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { startPressboxProcess, type PressboxProcess } from '../consumers/support.ts';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { rssFeed } from '../live/support.ts';

let dir: string;
let pressbox: PressboxProcess;
let feeds: FeedServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = await mkdtemp(join(tmpdir(), 'pressbox-journeys-'));
  feeds = await startFeedServer();
  pressbox = await startPressboxProcess(join(dir, 'data'), {
    FEED_ALLOW_PRIVATE_NETWORKS: 'true',
    PRESSBOX_ADMIN_USER_IDS: 'admin_journey',
  });
});

test.afterAll(async () => {
  await pressbox.stop();
  await feeds.close();
  await rm(dir, { recursive: true, force: true });
});

const as = (userId: string) => ({ authorization: `Bearer ${pressbox.token(userId)}` });
const api = (path: string) => `${pressbox.url}/api/v1${path}`;

async function jobDone(request: APIRequestContext, userId: string, jobId: string): Promise<{ state: string; result?: unknown }> {
  let job: { state: string; result?: unknown } = { state: 'waiting' };
  await expect
    .poll(
      async () => {
        const response = await request.get(api(`/jobs/${jobId}`), { headers: as(userId) });
        expect(response.status()).toBe(200);
        job = (await response.json()) as typeof job;
        return job.state;
      },
      { timeout: 30_000 },
    )
    .toBe('completed');
  return job;
}

test('an admin adds a source, refreshes it, follows the job, reads the news and exports OPML', async ({ request }) => {
  const feedUrl = feeds.url('/journey/bos.xml');
  const published = new Date(Date.UTC(2026, 4, 1, 12));
  feeds.route('/journey/bos.xml', {
    kind: 'document',
    contentType: 'application/rss+xml',
    body: rssFeed('Journey desk', [
      {
        guid: 'journey-1',
        title: 'Celtics win the opener',
        description: 'Boston beat New York in the opener at home.',
        publishedAt: published,
      },
    ]),
  });

  const created = await request.post(api('/sources'), { headers: as('admin_journey'), data: { url: feedUrl, teamIds: ['nba-bos'] } });
  expect(created.status()).toBe(200);
  const { source, jobId } = (await created.json()) as { source: { id: string }; jobId: string };
  await jobDone(request, 'admin_journey', jobId);

  const refreshed = await request.post(api(`/sources/${source.id}/refresh`), { headers: as('admin_journey') });
  expect(refreshed.status()).toBe(202);
  await jobDone(request, 'admin_journey', ((await refreshed.json()) as { jobId: string }).jobId);

  const news = await request.get(api('/teams/nba-bos/news'), { headers: as('admin_journey') });
  expect(news.status()).toBe(200);
  expect(((await news.json()) as { items: { title: string }[] }).items.map((item) => item.title)).toEqual(['Celtics win the opener']);

  const exported = await request.get(api('/sources/export'), { headers: as('admin_journey') });
  expect(exported.status()).toBe(200);
  const opml = (await exported.json()) as { opml: string; count: number };
  expect(opml.count).toBe(1);
  expect(opml.opml).toContain(`xmlUrl="${feedUrl}"`);
});

test('a new member signs in, follows a team, reads the feed, asks for a summary and follows its job', async ({ request }) => {
  const me = await request.get(api('/me'), { headers: as('member_journey') });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ id: 'member_journey', role: 'MEMBER' });

  const follow = await request.put(api('/me/follows/nba-bos'), { headers: as('member_journey') });
  expect(await follow.json()).toMatchObject({ teamId: 'nba-bos', following: true });

  const feed = await request.get(api('/me/feed'), { headers: as('member_journey') });
  expect(((await feed.json()) as { items: { title: string }[] }).items.map((item) => item.title)).toEqual(['Celtics win the opener']);

  // A summary made quickly enough is answered at once (200); otherwise 202 names the job making it.
  const first = await request.get(api('/teams/nba-bos/summary?length=SHORT'), { headers: as('member_journey') });
  expect([200, 202]).toContain(first.status());
  if (first.status() === 202) await jobDone(request, 'member_journey', ((await first.json()) as { jobId: string }).jobId);

  const refresh = await request.post(api('/teams/nba-bos/summary/refresh'), { headers: as('member_journey'), data: { length: 'SHORT' } });
  expect(refresh.status()).toBe(202);
  const accepted = (await refresh.json()) as { status: string; jobId: string };
  expect(accepted.status).toBe('pending');
  const job = await jobDone(request, 'member_journey', accepted.jobId);
  expect(job.state).toBe('completed');

  const ready = await request.get(api('/teams/nba-bos/summary?length=SHORT'), { headers: as('member_journey') });
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({ teamId: 'nba-bos', length: 'SHORT', status: 'ready', stale: false });

  const forbidden = await request.get(api('/sources'), { headers: as('member_journey') });
  expect(forbidden.status()).toBe(403);
});
