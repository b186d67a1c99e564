import { allSources, deleteSource, listSources, requireSource, updateSource } from '@pressbox/db';
import { OpmlError, readOpml, writeOpml } from '@pressbox/jobs';
import { z } from 'zod';
import { addSource, fetchNow } from '../../domain/sources.ts';
import { cursorSchema, limitSchema, pageOf } from '../../schemas/common.ts';
import { leagueSchema, sourceStatusSchema } from '../../schemas/enums.ts';
import { feedUrlSchema, sourceIdSchema, sourceSchema, teamIdsSchema, toSourceDto } from '../../schemas/source.ts';
import { jobAcceptedSchema } from '../../schemas/summary.ts';
import { router, TRPCError } from '../../trpc/init.ts';
import type { Meta } from '../../trpc/meta.ts';
import { adminProcedure } from '../../trpc/procedures.ts';

const tags = ['sources'];

const list = adminProcedure
  .meta({
    openapi: { method: 'GET', path: '/sources', tags, summary: 'List feed sources', description: 'Filter by status to see failing ones.' },
  } satisfies Meta)
  .input(
    z.object({
      status: sourceStatusSchema.optional(),
      teamId: z.string().max(64).optional(),
      limit: limitSchema,
      cursor: cursorSchema.optional(),
    }),
  )
  .output(pageOf(sourceSchema, 'SourcePage'))
  .query(async ({ ctx, input }) => {
    const page = await listSources(ctx.services.prisma, input);
    return { items: page.items.map(toSourceDto), nextCursor: page.nextCursor };
  });

const create = adminProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/sources',
      tags,
      summary: 'Add a feed source',
      description: 'Link it to teams, or to a league for league-wide news. It is fetched at once.',
    },
    errors: ['CONFLICT'],
  } satisfies Meta)
  .input(
    z.object({
      url: feedUrlSchema,
      name: z.string().trim().min(1).max(200).optional(),
      league: leagueSchema.optional(),
      teamIds: teamIdsSchema.default([]),
    }),
  )
  .output(z.object({ source: sourceSchema, jobId: z.string() }).meta({ id: 'SourceCreated' }))
  .mutation(async ({ ctx, input }) => {
    const { source, jobId } = await addSource(ctx.services, input, ctx.user.id);
    return { source: toSourceDto(source), jobId };
  });

const get = adminProcedure
  .meta({
    openapi: { method: 'GET', path: '/sources/{sourceId}', tags, summary: 'Get a source, with its fetch status and last error' },
  } satisfies Meta)
  .input(z.object({ sourceId: sourceIdSchema }))
  .output(sourceSchema)
  .query(async ({ ctx, input }) => toSourceDto(await requireSource(ctx.services.prisma, input.sourceId)));

const update = adminProcedure
  .meta({
    openapi: { method: 'PATCH', path: '/sources/{sourceId}', tags, summary: 'Rename, relink, pause or resume a source' },
  } satisfies Meta)
  .input(
    z.object({
      sourceId: sourceIdSchema,
      name: z.string().trim().min(1).max(200).optional(),
      league: leagueSchema.nullable().optional(),
      teamIds: teamIdsSchema.optional(),
      status: z.enum(['ACTIVE', 'PAUSED']).optional(),
    }),
  )
  .output(sourceSchema)
  .mutation(async ({ ctx, input }) => {
    const { sourceId, ...change } = input;
    return toSourceDto(await updateSource(ctx.services.prisma, sourceId, change));
  });

const remove = adminProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/sources/{sourceId}',
      tags,
      summary: 'Delete a source',
      description: 'Articles other sources also carry stay; the rest are deleted with it.',
    },
  } satisfies Meta)
  .input(z.object({ sourceId: sourceIdSchema }))
  .output(z.object({ deleted: z.literal(true), deletedArticles: z.number().int() }))
  .mutation(async ({ ctx, input }) => ({ deleted: true as const, ...(await deleteSource(ctx.services.prisma, input.sourceId)) }));

const refresh = adminProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/sources/{sourceId}/refresh',
      tags,
      summary: 'Fetch a source now',
      description: 'Also fetches a paused source once.',
    },
    successStatus: 202,
  } satisfies Meta)
  .input(z.object({ sourceId: sourceIdSchema }))
  .output(jobAcceptedSchema)
  .mutation(async ({ ctx, input }) => {
    await requireSource(ctx.services.prisma, input.sourceId);
    return { status: 'pending' as const, jobId: await fetchNow(ctx.services, input.sourceId, ctx.user.id, true) };
  });

const importOpml = adminProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/sources/import',
      tags,
      summary: 'Import sources from OPML',
      description:
        'OPML 1.0/2.0 with feed outlines (`xmlUrl`). Teams and league come from each outline’s `category` (`/teams/nba-bos`, `/league/NBA`, as exported) or from `teamIds`/`league` in the body. Known URLs are skipped.',
    },
  } satisfies Meta)
  .input(
    z.object({
      opml: z
        .string()
        .min(1)
        .max(1024 * 1024),
      teamIds: teamIdsSchema.default([]),
      league: leagueSchema.optional(),
    }),
  )
  .output(
    z
      .object({
        created: z.array(z.object({ id: z.string(), url: z.string(), jobId: z.string() })),
        skipped: z.array(z.object({ url: z.string(), reason: z.string() })),
      })
      .meta({ id: 'OpmlImportReport' }),
  )
  .mutation(async ({ ctx, input }) => {
    let read;
    try {
      read = readOpml(input.opml);
    } catch (error) {
      if (error instanceof OpmlError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
      throw error;
    }
    const created: { id: string; url: string; jobId: string }[] = [];
    const skipped = [...read.skipped];
    for (const entry of read.sources) {
      try {
        const { source, jobId } = await addSource(
          ctx.services,
          {
            url: entry.url,
            name: entry.name,
            league: entry.league ?? input.league,
            teamIds: entry.teamIds.length > 0 ? entry.teamIds : input.teamIds,
          },
          ctx.user.id,
        );
        created.push({ id: source.id, url: source.url, jobId });
      } catch (error) {
        skipped.push({ url: entry.url, reason: error instanceof Error && 'code' in error ? error.message : 'could not be added' });
      }
    }
    return { created, skipped };
  });

const exportOpml = adminProcedure
  .meta({ openapi: { method: 'GET', path: '/sources/export', tags, summary: 'Export every source as OPML 2.0' } } satisfies Meta)
  .input(z.object({}))
  .output(z.object({ opml: z.string().meta({ description: 'An OPML 2.0 document' }), count: z.number().int() }).meta({ id: 'OpmlExport' }))
  .query(async ({ ctx }) => {
    const sources = await allSources(ctx.services.prisma);
    return { opml: writeOpml(sources), count: sources.length };
  });

// REST matches paths in this order and `/sources/{sourceId}` would also match `/sources/export`:
// the fixed paths come first.
export const sourcesRouter = router({ list, create, export: exportOpml, import: importOpml, get, update, delete: remove, refresh });
