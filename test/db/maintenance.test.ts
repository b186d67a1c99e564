import { prune } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.ts';

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`pruning on ${kind}`, () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await openTestDatabase(kind);
    });
    afterAll(async () => {
      await test.close();
    });

    it('deletes events older than a week and webhook delivery ids older than a month, and nothing newer', async () => {
      const now = new Date('2026-11-26T12:00:00Z');
      const day = 86_400_000;
      const prisma = test.db.prisma;
      const event = (ageDays: number) => ({
        type: 'dashboard.updated',
        teamId: 'nba-bos',
        data: { teamId: 'nba-bos', reason: 'test' },
        at: new Date(now.getTime() - ageDays * day),
      });
      await prisma.event.createMany({ data: [event(8), event(7.5), event(6.9), event(0)] });
      await prisma.webhookDelivery.createMany({
        data: [
          { id: 'msg_old', type: 'user.created', receivedAt: new Date(now.getTime() - 31 * day) },
          { id: 'msg_new', type: 'user.created', receivedAt: new Date(now.getTime() - 29 * day) },
        ],
      });
      expect(await prune(prisma, now)).toEqual({ events: 2, webhookDeliveries: 1 });
      expect(await prisma.event.count()).toBe(2);
      expect((await prisma.webhookDelivery.findMany()).map((row) => row.id)).toEqual(['msg_new']);
      expect(await prune(prisma, now)).toEqual({ events: 0, webhookDeliveries: 0 });
    });
  });
}
