import { Prisma, type PrismaClient, type SummaryLength } from '../generated/prisma/client.ts';
import { firstOfStoryIn } from './stories.ts';

/** The local days a team's dashboard counts news over, today included. */
export const DASHBOARD_DAYS = 14;

/** The instant the first of the local days begins (calendar days, so DST changes are counted right). */
function windowStart(timezone: string, now: Date): Prisma.Sql {
  return Prisma.sql`((date_trunc('day', ${now} AT TIME ZONE ${timezone}) - make_interval(days => ${DASHBOARD_DAYS - 1})) AT TIME ZONE ${timezone})`;
}

/**
 * A team's stories per local day (YYYY-MM-DD) over the dashboard's days, each counted once on the
 * day of its earliest telling; days without news are absent.
 */
export async function teamNewsPerDay(prisma: PrismaClient, teamId: string, timezone: string, now: Date): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<{ day: string; count: number }[]>(Prisma.sql`
    SELECT to_char(t."publishedAt" AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day, count(*)::int AS count
    FROM "ArticleTeam" t JOIN "Article" a ON a."id" = t."articleId"
    WHERE t."teamId" = ${teamId}
      AND t."publishedAt" >= ${windowStart(timezone, now)} AND t."publishedAt" <= ${now}
      AND ${firstOfStoryIn(Prisma.sql`et."teamId" = ${teamId}`)}
    GROUP BY 1`);
  return new Map(rows.map((row) => [row.day, row.count]));
}

/** The five sources with the most of a team's articles over the dashboard's days. */
export function teamTopSources(
  prisma: PrismaClient,
  teamId: string,
  timezone: string,
  now: Date,
): Promise<{ id: string; name: string; count: number }[]> {
  return prisma.$queryRaw<{ id: string; name: string; count: number }[]>(Prisma.sql`
    SELECT s."id"::text AS id, s."name", count(*)::int AS count
    FROM "ArticleTeam" t JOIN "Article" a ON a."id" = t."articleId" JOIN "Source" s ON s."id" = a."sourceId"
    WHERE t."teamId" = ${teamId} AND t."publishedAt" >= ${windowStart(timezone, now)} AND t."publishedAt" <= ${now}
    GROUP BY s."id", s."name"
    ORDER BY count DESC, s."name" ASC
    LIMIT 5`);
}

/** The input version and time of a team's newest summary at a length. */
export function latestSummaryStamp(
  prisma: PrismaClient,
  teamId: string,
  length: SummaryLength,
): Promise<{ inputVersion: string; generatedAt: Date } | null> {
  return prisma.summary.findFirst({
    where: { teamId, length },
    orderBy: { generatedAt: 'desc' },
    select: { inputVersion: true, generatedAt: true },
  });
}
