import { saveSummary } from '@pressbox/db';
import { createExtractiveSummarizer, createMemoryEventBus, generateTeamSummary, type StoredEvent } from '@pressbox/jobs';
import { describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, useTestDatabase, type TestDatabase } from '../support/databases.ts';
import { eventually } from '../support/waiting.ts';
import { addArticles, stories } from '../summaries-api/fixtures.ts';

const never = new AbortController().signal;

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`summary.updated commits with its summary on ${kind}`, () => {
    let database: TestDatabase;
    useTestDatabase(kind, (opened) => {
      database = opened;
    });

    function summaryEvents(teamId: string): Promise<{ data: unknown }[]> {
      return database.db.prisma.event.findMany({ where: { type: 'summary.updated', teamId }, select: { data: true } });
    }

    it('keeps the event of a summary stored by a process that stopped before publishing, and announces it once across the rerun', async () => {
      const { prisma } = database.db;
      await addArticles(prisma, 'nba-okc', stories(4, 'okc'));
      // The process shut down between the job's commit and the publication: its bus is closed.
      const stopped = createMemoryEventBus({ prisma });
      await stopped.close();
      const summarizer = createExtractiveSummarizer();
      const first = await generateTeamSummary(
        { prisma, summarizer, events: stopped },
        { teamId: 'nba-okc', length: 'MEDIUM' },
        { signal: never },
      );
      expect(first.status).toBe('ready');

      // The job runs again elsewhere (its worker looked dead): the summary is there, nothing more is announced.
      const received: StoredEvent[] = [];
      const bus = createMemoryEventBus({ prisma, relayIntervalMs: 50 });
      try {
        await bus.subscribe({ teamId: 'nba-okc' }, (event) => received.push(event));
        const rerun = await generateTeamSummary(
          { prisma, summarizer, events: bus },
          { teamId: 'nba-okc', length: 'MEDIUM' },
          { signal: never },
        );
        expect(rerun.summaryId).toBe(first.summaryId);

        const rows = await summaryEvents('nba-okc');
        expect(rows).toHaveLength(1);
        expect(rows[0]?.data).toMatchObject({ teamId: 'nba-okc', length: 'MEDIUM', summaryId: first.summaryId });
        // The relay of a live process publishes the committed row.
        await eventually(
          () => received.length,
          (count) => count >= 1,
          { timeoutMs: 5_000 },
        );
        expect(received.map((event) => event.type)).toEqual(['summary.updated']);
      } finally {
        await bus.close();
      }
    });

    it('stores one summary and announces it once when eight jobs race to save the same input', async () => {
      const { prisma } = database.db;
      const key = { teamId: 'nba-phx', length: 'SHORT' as const, inputVersion: 'race' };
      const fields = {
        articleIds: [],
        provider: 'test',
        model: 'test',
        text: 'Raced.',
        bullets: [],
        durationMs: 1,
        attempts: 1,
        promptTokens: null,
        completionTokens: null,
        generatedAt: new Date(),
      };
      const announce = (saved: { id: string }) => [{ type: 'summary.updated', teamId: key.teamId, data: { summaryId: saved.id } }];
      const saved = await Promise.all(Array.from({ length: 8 }, () => saveSummary(prisma, key, fields, false, announce)));
      expect(new Set(saved.map((summary) => summary.id)).size).toBe(1);
      expect(await summaryEvents(key.teamId)).toHaveLength(1);
    });

    it('announces a forced regeneration once, and a summary that lost a race not at all', async () => {
      const { prisma } = database.db;
      await addArticles(prisma, 'nba-sas', stories(4, 'sas'));
      const bus = createMemoryEventBus({ prisma });
      try {
        const deps = { prisma, summarizer: createExtractiveSummarizer(), events: bus };
        const [a, b] = await Promise.all([
          generateTeamSummary(deps, { teamId: 'nba-sas', length: 'SHORT' }, { signal: never }),
          generateTeamSummary(deps, { teamId: 'nba-sas', length: 'SHORT' }, { signal: never }),
        ]);
        expect(a.summaryId).toBe(b.summaryId);
        expect(await summaryEvents('nba-sas')).toHaveLength(1);
        await generateTeamSummary(deps, { teamId: 'nba-sas', length: 'SHORT', force: true }, { signal: never });
        expect(await summaryEvents('nba-sas')).toHaveLength(2);
      } finally {
        await bus.close();
      }
    });
  });
}
