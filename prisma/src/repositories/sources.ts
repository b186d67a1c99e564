import { AppError } from '../errors.ts';
import { Prisma, type League, type PrismaClient, type Source, type SourceStatus } from '../generated/prisma/client.ts';
import { decodeCursorOrThrow, toPage, type Page } from '../pagination.ts';

export type SourceWithTeams = Source & { teamIds: string[]; articleCount: number };

export interface SourceFields {
  url: string;
  name: string;
  league?: League | null | undefined;
  teamIds: string[];
}

export interface SourceChange {
  name?: string | undefined;
  league?: League | null | undefined;
  teamIds?: string[] | undefined;
  /** Admins pause and resume; FAILING is set by fetching. */
  status?: Extract<SourceStatus, 'ACTIVE' | 'PAUSED'> | undefined;
}

const include = { teams: { select: { teamId: true }, orderBy: { teamId: 'asc' } }, _count: { select: { items: true } } } as const;

type Loaded = Prisma.SourceGetPayload<{ include: typeof include }>;

function flatten(source: Loaded): SourceWithTeams {
  const { teams, _count, ...rest } = source;
  return { ...rest, teamIds: teams.map((team) => team.teamId), articleCount: _count.items };
}

async function assertLinks(db: Prisma.TransactionClient, teamIds: string[], league: League | null | undefined): Promise<void> {
  if (teamIds.length === 0 && !league) throw new AppError('BAD_REQUEST', 'A source needs at least one team or a league');
  const found = await db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true } });
  const unknown = teamIds.filter((id) => !found.some((team) => team.id === id));
  if (unknown.length > 0) throw new AppError('NOT_FOUND', `Unknown team ids: ${unknown.slice(0, 5).join(', ')}`);
}

export interface ListSourcesQuery {
  status?: SourceStatus | undefined;
  teamId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Sources by name, then id; failing ones can be listed alone to see what needs attention. */
export async function listSources(prisma: PrismaClient, query: ListSourcesQuery): Promise<Page<SourceWithTeams>> {
  const after = query.cursor === undefined ? undefined : (decodeCursorOrThrow(query.cursor, ['string', 'string']) as [string, string]);
  const rows = await prisma.source.findMany({
    where: {
      AND: [
        query.status ? { status: query.status } : {},
        query.teamId ? { teams: { some: { teamId: query.teamId } } } : {},
        after ? { OR: [{ name: { gt: after[0] } }, { name: after[0], id: { gt: after[1] } }] } : {},
      ],
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: query.limit + 1,
    include,
  });
  return toPage(rows.map(flatten), query.limit, (source) => [source.name, source.id]);
}

export async function findSource(prisma: PrismaClient | Prisma.TransactionClient, id: string): Promise<SourceWithTeams | null> {
  const source = await prisma.source.findUnique({ where: { id }, include });
  return source ? flatten(source) : null;
}

export async function requireSource(prisma: PrismaClient | Prisma.TransactionClient, id: string): Promise<SourceWithTeams> {
  const source = await findSource(prisma, id);
  if (!source) throw new AppError('NOT_FOUND', `No source with id ${id}`);
  return source;
}

/** Adds a source, due for its first fetch now; a URL already known is a CONFLICT. */
export async function createSource(prisma: PrismaClient, fields: SourceFields): Promise<SourceWithTeams> {
  return prisma.$transaction(async (tx) => {
    const teamIds = [...new Set(fields.teamIds)];
    await assertLinks(tx, teamIds, fields.league);
    if (await tx.source.findUnique({ where: { url: fields.url }, select: { id: true } })) {
      throw new AppError('CONFLICT', `A source with the URL ${fields.url} exists already`);
    }
    try {
      const created = await tx.source.create({
        data: {
          url: fields.url,
          name: fields.name,
          league: fields.league ?? null,
          teams: { create: teamIds.map((teamId) => ({ teamId })) },
        },
        include,
      });
      return flatten(created);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new AppError('CONFLICT', `A source with the URL ${fields.url} exists already`);
      }
      throw error;
    }
  });
}

export async function updateSource(prisma: PrismaClient, id: string, change: SourceChange): Promise<SourceWithTeams> {
  return prisma.$transaction(async (tx) => {
    const current = await requireSource(tx, id);
    const teamIds = change.teamIds === undefined ? current.teamIds : [...new Set(change.teamIds)];
    const league = change.league === undefined ? current.league : change.league;
    await assertLinks(tx, teamIds, league);
    const relinked = change.teamIds !== undefined && !sameMembers(teamIds, current.teamIds);
    const renamed = change.name !== undefined && change.name !== current.name;
    const restatused = change.status !== undefined && change.status !== current.status;
    // A change that changes nothing writes nothing, so `updatedAt` keeps meaning "last changed".
    if (!relinked && !renamed && !restatused && league === current.league) return current;
    await tx.source.update({
      where: { id },
      data: {
        name: change.name,
        league,
        // Resuming a source makes it due at once; pausing keeps its schedule for later.
        ...(change.status
          ? { status: change.status, ...(change.status === 'ACTIVE' && current.status === 'PAUSED' ? { nextFetchAt: new Date() } : {}) }
          : {}),
      },
    });
    if (change.teamIds !== undefined) {
      await tx.sourceTeam.deleteMany({ where: { sourceId: id, teamId: { notIn: teamIds } } });
      await tx.sourceTeam.createMany({ data: teamIds.map((teamId) => ({ sourceId: id, teamId })), skipDuplicates: true });
    }
    return requireSource(tx, id);
  });
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.length === set.size && a.every((item) => set.has(item));
}

/**
 * Deletes a source. Articles other sources also carry stay, re-attributed to one of those; articles
 * only this source carried go with it.
 */
export async function deleteSource(prisma: PrismaClient, id: string): Promise<{ deletedArticles: number }> {
  return prisma.$transaction(async (tx) => {
    await requireSource(tx, id);
    await tx.$executeRaw`
      UPDATE "Article" a SET "sourceId" = other."sourceId"
      FROM (
        SELECT DISTINCT ON (x."articleId") x."articleId", x."sourceId"
        FROM "ArticleSource" x JOIN "Article" owned ON owned."id" = x."articleId"
        WHERE owned."sourceId" = ${id}::uuid AND x."sourceId" <> ${id}::uuid
        ORDER BY x."articleId", x."firstSeenAt"
      ) other
      WHERE a."id" = other."articleId"`;
    const deletedArticles = await tx.article.count({ where: { sourceId: id } });
    await tx.source.delete({ where: { id } });
    return { deletedArticles };
  });
}

/** Every source, for OPML export. */
export async function allSources(prisma: PrismaClient): Promise<SourceWithTeams[]> {
  return (await prisma.source.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }], include })).map(flatten);
}

/**
 * Points a source at the address its feed moved to for good. Returns false, changing nothing, when
 * the source no longer has the URL `from` or another source has `to` already (both then stay as
 * they are: merging two sources is an admin's call).
 *
 * @example
 * await moveSource(prisma, source.id, 'http://old.example.com/rss', 'https://example.com/feed.xml');
 */
export async function moveSource(prisma: PrismaClient, id: string, from: string, to: string): Promise<boolean> {
  try {
    const moved = await prisma.source.updateMany({ where: { id, url: from }, data: { url: to } });
    return moved.count === 1;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return false;
    throw error;
  }
}
