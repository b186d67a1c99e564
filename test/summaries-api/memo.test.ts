import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { addArticles, stories } from './fixtures.ts';
import { getSummary, ready, summaryOnceReady } from './support.ts';

describe('fresh summaries answered from memory', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves a fresh summary again without the database until an event for its team arrives', async () => {
    const prisma = app.running.services.prisma;
    await addArticles(prisma, 'nba-orl', stories(4));
    await summaryOnceReady(app, 'nba-orl', 'user_memo');
    const first = ready((await getSummary(app, 'nba-orl', 'user_memo')).body);
    expect(first.stale).toBe(false);
    await prisma.summary.deleteMany({ where: { teamId: 'nba-orl' } });
    expect(ready((await getSummary(app, 'nba-orl', 'user_memo')).body)).toEqual(first);

    await app.running.services.events.publish({
      type: 'summary.updated',
      teamId: 'nba-orl',
      data: { teamId: 'nba-orl', length: 'MEDIUM', summaryId: 'gone', generatedAt: new Date().toISOString() },
    });
    const afterEvent = await summaryOnceReady(app, 'nba-orl', 'user_memo');
    expect(afterEvent.generatedAt).not.toBe(first.generatedAt);
    expect(await prisma.summary.count({ where: { teamId: 'nba-orl' } })).toBe(1);
  });

  it('drops a remembered summary when news for its team arrives', async () => {
    const prisma = app.running.services.prisma;
    await addArticles(prisma, 'nba-det', stories(3));
    await summaryOnceReady(app, 'nba-det', 'user_memo');
    const before = ready((await getSummary(app, 'nba-det', 'user_memo')).body);
    expect(before.stale).toBe(false);
    const [newest] = await addArticles(prisma, 'nba-det', stories(1, 'late'));
    const [item] = await app.running.services.prisma.article.findMany({ where: { id: newest ?? '' }, include: { source: true } });
    if (!item) throw new Error('article missing');
    await app.running.services.events.publish({
      type: 'news.created',
      teamId: 'nba-det',
      data: {
        id: item.id,
        title: item.title,
        url: item.url,
        author: item.author,
        summary: item.summary,
        contentHtml: item.contentHtml,
        publishedAt: item.publishedAt.toISOString(),
        updatedAt: item.updatedAt.toISOString(),
        source: { id: item.source.id, name: item.source.name },
        teams: [{ id: 'nba-det', matchedBy: 'SOURCE' }],
        alsoFrom: [],
      },
    });
    const after = ready((await getSummary(app, 'nba-det', 'user_memo')).body);
    expect(after).toMatchObject({ articleIds: before.articleIds, stale: true });
  });
});
