import { writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { allTeamRows, openDatabase, upsertReferenceTeams, type Database } from '@pressbox/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, databaseAvailable, type ScratchPostgres } from '../support/databases.ts';
import { Labels } from './support/normalise.ts';
import { exportedFunctions, orderedCases, repositoryCases } from './support/repository-cases.ts';
import { worldArbitrary, type CaseContext, type World } from './support/world.ts';

const seed = Number(process.env.PRESSBOX_DIFF_SEED ?? Date.now() % 2_147_483_647);
const runs = Number(process.env.PRESSBOX_DIFF_RUNS ?? 5);
/** Writes each world's answers to `<path>-<n>.json`, to read what a failing case returned. */
const dumpTo = process.env.PRESSBOX_DIFF_DUMP;
/** The worlds' clock: mid-2025, far from the wall clock the databases' `now()` reads. */
const worldEpoch = Date.UTC(2025, 5, 15, 12, 0, 0);

describe('the repository differential suite', () => {
  it('has a case for every function the repository modules export, and none for a function they do not', () => {
    expect(Object.keys(repositoryCases).sort()).toEqual(exportedFunctions());
    expect(exportedFunctions().length).toBeGreaterThanOrEqual(60);
  });
});

describe.skipIf(!databaseAvailable('postgres'))('every repository function on PGlite and on Postgres', () => {
  let pglite: Database;
  let postgres: Database;
  let scratch: ScratchPostgres;
  let ordinal = 0;

  beforeAll(async () => {
    // The embedded default as `npm start` opens it: a new in-memory PGlite, migrated on open.
    pglite = await openDatabase({});
    await upsertReferenceTeams(pglite.prisma);
    scratch = await createScratchPostgres('pb_repo_diff');
    postgres = await openDatabase({ databaseUrl: scratch.url, poolMax: 4 });
    await upsertReferenceTeams(postgres.prisma);
  }, 60_000);

  afterAll(async () => {
    await pglite.close();
    await postgres.close();
    await scratch.drop();
  });

  /** Applies the world to one database and returns every case's normalised answer, by function name. */
  async function observe(database: Database, world: World, tag: string, at: number): Promise<Record<string, unknown>> {
    const ctx: CaseContext = {
      prisma: database.prisma,
      sql: database.sql,
      world,
      tag,
      now: new Date(worldEpoch + at * 86_400_000),
      teams: await allTeamRows(database.prisma),
      state: { sources: [], articles: new Map(), summaries: [], eventBase: 0n },
      ordinal: at,
    };
    const labels = new Labels(database.prisma, () => ctx.state.eventBase);
    const answers: Record<string, unknown> = {};
    for (const [name, repositoryCase] of orderedCases()) {
      let answer: unknown;
      try {
        answer = await repositoryCase.run(ctx);
      } catch (error) {
        answer = { threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
      await labels.refresh();
      answers[name] = labels.normalise(answer);
    }
    return answers;
  }

  it('answers alike for the same generated worlds', async () => {
    console.info(
      `repository differential seed ${String(seed)} (PRESSBOX_DIFF_SEED=${String(seed)} PRESSBOX_DIFF_RUNS=${String(runs)} repeat it)`,
    );
    await fc.assert(
      fc.asyncProperty(worldArbitrary, async (world) => {
        ordinal += 1;
        const tag = `w${String(ordinal)}x${String(seed % 10_000)}`;
        const onPglite = await observe(pglite, world, tag, ordinal);
        const onPostgres = await observe(postgres, world, tag, ordinal);
        if (dumpTo) await writeFile(`${dumpTo}-${String(ordinal)}.json`, JSON.stringify({ world, onPglite, onPostgres }, null, 1));
        const differing = Object.keys(onPostgres).filter((name) => !isDeepStrictEqual(onPglite[name], onPostgres[name]));
        for (const name of differing)
          expect({ [name]: onPglite[name] }, `${name} differs (PGlite first, Postgres second)`).toEqual({ [name]: onPostgres[name] });
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
  }, 600_000);
});
