import {
  allSources,
  AppError,
  createSource,
  deleteSource,
  listSources,
  recentFetchAttempts,
  requireSource,
  updateSource,
  type League,
  type ListSourcesQuery,
  type Page,
  type PrismaClient,
  type SourceChange,
  type SourceWithTeams,
} from '@pressbox/db';
import {
  assertFetchableUrl,
  BlockedRequestError,
  feedFetchJob,
  feedFetchJobKey,
  OpmlError,
  readOpml,
  writeOpml,
  type JobQueue,
} from '@pressbox/jobs';
import { toFetchAttemptDto, toSourceDto, type FetchAttemptDto, type SourceDto } from '../schemas/source.ts';

export interface SourcesDeps {
  prisma: PrismaClient;
  queue: JobQueue;
  /** `feedAllowPrivateNetworks`: let sources point at loopback and private addresses (tests only). */
  config: { feedAllowPrivateNetworks: boolean };
}

export interface NewSource {
  url: string;
  name?: string | undefined;
  league?: League | null | undefined;
  teamIds: string[];
}

/**
 * Adds a source after refusing URLs the fetcher would refuse anyway (schemes, credentials, ports,
 * literal private addresses), and enqueues its first fetch so it is read at once.
 */
export async function addSource(
  deps: SourcesDeps,
  fields: NewSource,
  requestedBy: string,
): Promise<{ source: SourceWithTeams; jobId: string }> {
  const url = new URL(fields.url);
  try {
    assertFetchableUrl(url, { allowPrivateNetworks: deps.config.feedAllowPrivateNetworks });
  } catch (error) {
    if (error instanceof BlockedRequestError) throw new AppError('BAD_REQUEST', `This feed URL cannot be fetched: ${error.message}`);
    throw error;
  }
  const source = await createSource(deps.prisma, {
    url: url.toString(),
    name: fields.name?.trim() || url.hostname,
    league: fields.league,
    teamIds: fields.teamIds,
  });
  // The id a scan would give this first fetch (the source is due from now on), so a scan that runs
  // before the fetch finishes finds it queued instead of fetching the feed a second time.
  const { id: jobId } = await deps.queue.enqueue(
    feedFetchJob,
    { sourceId: source.id },
    { jobId: feedFetchJobKey(source.id, source.nextFetchAt), requestedBy },
  );
  return { source, jobId };
}

/** `addSource` as the API answers it. */
export async function createSourceFor(
  deps: SourcesDeps,
  fields: NewSource,
  requestedBy: string,
): Promise<{ source: SourceDto; jobId: string }> {
  const { source, jobId } = await addSource(deps, fields, requestedBy);
  return { source: toSourceDto(source), jobId };
}

/** An immediate fetch of a source; an admin's refresh fetches even a paused one. */
export async function refreshSourceNow(deps: Pick<SourcesDeps, 'prisma' | 'queue'>, sourceId: string, requestedBy: string) {
  await requireSource(deps.prisma, sourceId);
  const { id } = await deps.queue.enqueue(feedFetchJob, { sourceId, force: true }, { requestedBy });
  return { status: 'pending' as const, jobId: id };
}

export async function listSourcesPage(deps: Pick<SourcesDeps, 'prisma'>, query: ListSourcesQuery): Promise<Page<SourceDto>> {
  const page = await listSources(deps.prisma, query);
  return { items: page.items.map(toSourceDto), nextCursor: page.nextCursor };
}

export async function getSource(deps: Pick<SourcesDeps, 'prisma'>, sourceId: string): Promise<SourceDto> {
  return toSourceDto(await requireSource(deps.prisma, sourceId));
}

export async function changeSource(deps: Pick<SourcesDeps, 'prisma'>, sourceId: string, change: SourceChange): Promise<SourceDto> {
  return toSourceDto(await updateSource(deps.prisma, sourceId, change));
}

export async function removeSource(deps: Pick<SourcesDeps, 'prisma'>, sourceId: string) {
  return { deleted: true as const, ...(await deleteSource(deps.prisma, sourceId)) };
}

export interface OpmlImportReport {
  created: { id: string; url: string; jobId: string }[];
  skipped: { url: string; reason: string }[];
}

/**
 * Adds every feed outline of an OPML document as a source, with the teams or league of its
 * `category` or else those given. Known and refused URLs are reported as skipped.
 */
export async function importOpmlSources(
  deps: SourcesDeps,
  body: { opml: string; teamIds: string[]; league?: League | undefined },
  requestedBy: string,
): Promise<OpmlImportReport> {
  let read;
  try {
    read = readOpml(body.opml);
  } catch (error) {
    if (error instanceof OpmlError) throw new AppError('BAD_REQUEST', error.message, { cause: error });
    throw error;
  }
  const report: OpmlImportReport = { created: [], skipped: [...read.skipped] };
  for (const entry of read.sources) {
    const fields = {
      url: entry.url,
      name: entry.name,
      league: entry.league ?? body.league,
      teamIds: entry.teamIds.length > 0 ? entry.teamIds : body.teamIds,
    };
    try {
      const { source, jobId } = await addSource(deps, fields, requestedBy);
      report.created.push({ id: source.id, url: source.url, jobId });
    } catch (error) {
      report.skipped.push({ url: entry.url, reason: error instanceof AppError ? error.publicMessage : 'could not be added' });
    }
  }
  return report;
}

/** Every source as an OPML 2.0 document. */
export async function exportOpmlSources(deps: Pick<SourcesDeps, 'prisma'>): Promise<{ opml: string; count: number }> {
  const sources = await allSources(deps.prisma);
  return { opml: writeOpml(sources), count: sources.length };
}

/** The newest fetch attempts of a source: why it did, or did not, update. */
export async function sourceFetchHistory(
  deps: Pick<SourcesDeps, 'prisma'>,
  sourceId: string,
  limit: number,
): Promise<{ items: FetchAttemptDto[] }> {
  await requireSource(deps.prisma, sourceId);
  const attempts = await recentFetchAttempts(deps.prisma, sourceId, limit);
  return { items: attempts.map(toFetchAttemptDto) };
}
