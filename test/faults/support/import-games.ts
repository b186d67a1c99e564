import { openDatabase } from '@pressbox/db';
import { createRedisEventBus, gameColumns, importGames } from '@pressbox/jobs';
import { z } from 'zod';

/*
 * A process that imports games files one after another, as the API's games import does
 * (`importGames`, then `publishCommitted`), printing `imported <n>` after each, for the
 * kill-mid-import test. Run with `node --conditions=@pressbox/source --import tsx`.
 */
const env = z
  .object({
    DATABASE_URL: z.string(),
    REDIS_URL: z.string(),
    PRESSBOX_REDIS_PREFIX: z.string(),
    FILES: z.coerce.number().int().positive(),
  })
  .parse(process.env);

/** File `n`: one new final game of two NHL teams, under its own external id. */
function gamesFile(n: number, teams: readonly string[]): string {
  const home = teams[n % teams.length] ?? '';
  const away = teams[(n + 1) % teams.length] ?? '';
  const startsAt = new Date(Date.UTC(2025, 9, 1) + n * 3_600_000).toISOString();
  const row = ['NHL', '2025-26', startsAt, home, away, 'FINAL', String(2 + (n % 5)), '1', `kill-${String(n)}`];
  return `${gameColumns.join(',')}\r\n${row.join(',')}\r\n`;
}

const db = await openDatabase({ databaseUrl: env.DATABASE_URL, migrate: false, poolMax: 4 });
const events = createRedisEventBus({
  prisma: db.prisma,
  url: env.REDIS_URL,
  prefix: env.PRESSBOX_REDIS_PREFIX,
  name: `import-games-${String(process.pid)}`,
});
const teams = (await db.prisma.team.findMany({ where: { league: 'NHL' }, orderBy: { id: 'asc' }, select: { id: true } })).map(
  (team) => team.id,
);
for (let n = 0; n < env.FILES; n++) {
  await importGames(db.prisma, { format: 'csv', content: gamesFile(n, teams) });
  await events.publishCommitted();
  process.stdout.write(`imported ${String(n)}\n`);
}
await events.close();
await db.close();
process.stdout.write('done\n');
