import { allTeams, listTeams, findTeam, upsertReferenceTeams, readMigrations, type Team } from '@pressbox/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.ts';

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`teams repository on ${kind}`, () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await openTestDatabase(kind);
    });
    afterAll(async () => {
      await test.close();
    });

    it('records every migration the way prisma migrate does', async () => {
      const rows = await test.db.prisma.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
      SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
      const files = await readMigrations();
      expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(files.map((file) => [file.name, file.checksum]));
      expect(rows.every((row) => row.finished_at !== null)).toBe(true);
    });

    it('holds every reference team, and a second upsert changes nothing', async () => {
      expect(await test.db.prisma.team.count()).toBe(allTeams.length);
      expect(await upsertReferenceTeams(test.db.prisma)).toEqual({ inserted: 0, updated: 0, unchanged: allTeams.length });
    });

    it('updates a team whose reference data changed', async () => {
      const [first] = allTeams;
      if (!first) throw new Error('no reference teams');
      const changed = [{ ...first, aliases: [...first.aliases, 'Test Alias'] }];
      expect(await upsertReferenceTeams(test.db.prisma, changed)).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
      expect((await findTeam(test.db.prisma, first.id))?.aliases).toContain('Test Alias');
      await upsertReferenceTeams(test.db.prisma);
      expect((await findTeam(test.db.prisma, first.id))?.aliases).not.toContain('Test Alias');
    });

    it('walks every team of a league exactly once, in name order', async () => {
      const seen: Team[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await listTeams(test.db.prisma, { league: 'NBA', limit: 7, cursor });
        seen.push(...result.items);
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      const expected = allTeams
        .filter((team) => team.league === 'NBA')
        .map((team) => team.name)
        .sort((a, b) => a.localeCompare(b, 'en'));
      expect(seen.map((team) => team.name)).toEqual(expected);
      expect(new Set(seen.map((team) => team.id)).size).toBe(30);
    });

    it('searches name, short name, city and abbreviation case-insensitively', async () => {
      const byName = await listTeams(test.db.prisma, { q: 'celtics', limit: 10 });
      expect(byName.items.map((team) => team.id)).toEqual(['nba-bos']);
      const byCity = await listTeams(test.db.prisma, { q: 'BOSTON', limit: 10 });
      expect(byCity.items.map((team) => team.id).sort()).toEqual(['mlb-bos', 'nba-bos', 'nhl-bos']);
      const byAbbreviation = await listTeams(test.db.prisma, { q: 'ars', league: 'PREMIER_LEAGUE', limit: 10 });
      expect(byAbbreviation.items.map((team) => team.id)).toEqual(['epl-ars']);
    });

    it('lists only followed, or only unfollowed, teams', async () => {
      await test.db.prisma.user.create({ data: { id: `user_follow_${kind}` } });
      await test.db.prisma.follow.createMany({
        data: [
          { userId: `user_follow_${kind}`, teamId: 'nba-bos' },
          { userId: `user_follow_${kind}`, teamId: 'epl-liv' },
        ],
      });
      const followed = await listTeams(test.db.prisma, { followedBy: { userId: `user_follow_${kind}`, following: true }, limit: 100 });
      expect(followed.items.map((team) => team.id).sort()).toEqual(['epl-liv', 'nba-bos']);
      const others = await listTeams(test.db.prisma, {
        league: 'NBA',
        followedBy: { userId: `user_follow_${kind}`, following: false },
        limit: 100,
      });
      expect(others.items).toHaveLength(29);
      expect(others.items.some((team) => team.id === 'nba-bos')).toBe(false);
    });

    it('rejects a cursor it did not issue', async () => {
      await expect(listTeams(test.db.prisma, { limit: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('finds one team by id and nothing for an unknown id', async () => {
      expect((await findTeam(test.db.prisma, 'epl-ars'))?.name).toBe('Arsenal');
      expect(await findTeam(test.db.prisma, 'epl-zzz')).toBeNull();
    });
  });
}
