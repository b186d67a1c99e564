import { AppError, createSource, type League, type SourceWithTeams } from '@pressbox/db';
import { assertFetchableUrl, BlockedRequestError, feedFetchJob, feedFetchJobKey } from '@pressbox/jobs';
import type { Services } from '../services.ts';

/**
 * Adds a source after refusing URLs the fetcher would refuse anyway (schemes, credentials, ports,
 * literal private addresses), and enqueues its first fetch so it is read at once.
 */
export async function addSource(
  services: Services,
  fields: { url: string; name?: string | undefined; league?: League | null | undefined; teamIds: string[] },
  requestedBy: string,
): Promise<{ source: SourceWithTeams; jobId: string }> {
  const url = new URL(fields.url);
  try {
    assertFetchableUrl(url, { allowPrivateNetworks: services.config.feedAllowPrivateNetworks });
  } catch (error) {
    if (error instanceof BlockedRequestError) throw new AppError('BAD_REQUEST', `This feed URL cannot be fetched: ${error.message}`);
    throw error;
  }
  const source = await createSource(services.prisma, {
    url: url.toString(),
    name: fields.name?.trim() || url.hostname,
    league: fields.league,
    teamIds: fields.teamIds,
  });
  // The id a scan would give this first fetch (the source is due from now on), so a scan that runs
  // before the fetch finishes finds it queued instead of fetching the feed a second time.
  const { id: jobId } = await services.queue.enqueue(
    feedFetchJob,
    { sourceId: source.id },
    { jobId: feedFetchJobKey(source.id, source.nextFetchAt), requestedBy },
  );
  return { source, jobId };
}

/** Enqueues an immediate fetch of a source (an admin's explicit refresh fetches even a paused one). */
export async function fetchNow(services: Services, sourceId: string, requestedBy: string, force = false): Promise<string> {
  const { id } = await services.queue.enqueue(feedFetchJob, { sourceId, force }, { requestedBy });
  return id;
}
