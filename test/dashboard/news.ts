import { randomBytes } from 'node:crypto';
import { announceNews } from '@pressbox/jobs';
import type { TestApp } from '../support/app.ts';

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function localDate(instant: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** `date` (YYYY-MM-DD) moved by whole calendar days. */
export function addDays(date: string, days: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The 14 dates ending today in a time zone, oldest first. */
export function fourteenDays(timezone: string, now = new Date()): string[] {
  const today = localDate(now, timezone);
  return Array.from({ length: 14 }, (_, index) => addDays(today, index - 13));
}

/** Minutes east of UTC of a time zone at an instant. */
function offsetMinutes(instant: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return (asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000;
}

/** The instant a calendar date begins in a time zone (its local midnight). */
export function localMidnight(date: string, timezone: string): Date {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  let instant = Date.UTC(year, month - 1, day);
  for (let pass = 0; pass < 2; pass++) instant = Date.UTC(year, month - 1, day) - offsetMinutes(new Date(instant), timezone) * 60_000;
  return new Date(instant);
}

/** Creates a feed source row, as an admin adding one would. */
export async function addSource(app: TestApp, name: string): Promise<string> {
  const source = await app.running.services.prisma.source.create({
    data: { url: `https://feeds.example.com/${randomBytes(6).toString('hex')}.xml`, name },
    select: { id: true },
  });
  return source.id;
}

/**
 * Stores articles of one source tagged for a team with their events, the way feed ingestion
 * does (`news.created` and `dashboard.updated` events; the relay schedules summary regeneration).
 */
export async function addArticles(app: TestApp, teamId: string, sourceId: string, publishedAt: readonly Date[]): Promise<string[]> {
  const { prisma, events } = app.running.services;
  const ids: string[] = [];
  await announceNews({ prisma, events }, async (tx) => {
    for (const instant of publishedAt) {
      const key = randomBytes(6).toString('hex');
      const article = await tx.article.create({
        data: {
          sourceId,
          title: `Practice report ${key}: rotation news and injury updates`,
          summary: `The coach discussed the rotation and the injury list before the game (${key}).`,
          url: `https://news.example.com/${key}`,
          fingerprint: key,
          publishedAt: instant,
          teams: { create: { teamId, matchedBy: 'SOURCE', publishedAt: instant } },
        },
        select: { id: true },
      });
      ids.push(article.id);
    }
    return { [teamId]: ids };
  });
  return ids;
}
