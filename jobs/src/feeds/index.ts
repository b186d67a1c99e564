export { fetchFeed, createFeedFetcher, FEED_MAX_BYTES, FEED_MAX_REDIRECTS, FEED_TIMEOUT_MS, FEED_USER_AGENT } from './fetch.ts';
export type { CacheHeaders, ConditionalRequest, FeedFetcher, FeedFetchOptions, FetchErrorKind, FetchResult } from './fetch.ts';
export { HostLimiter, feedHostLimiter, FEED_HOST_CONCURRENCY, type Release } from './host-limiter.ts';
export {
  assertFetchableUrl,
  refusedAddressReason,
  systemResolver,
  BlockedRequestError,
  type AddressPolicy,
  type ResolvedAddress,
  type Resolver,
} from './ssrf.ts';
export { nextFetchAt, nextFetchDelayMs, retryDelayMs, retryAfterMs, type NextFetchInput } from './schedule.ts';
export { parseFeed, FeedParseError, MAX_FEED_ITEMS, type FeedParseFailure, type ParseFeedOptions } from './parse.ts';
export {
  feedParserThread,
  parseHere,
  sharedFeedParser,
  OFF_THREAD_BYTES,
  PARSE_TIMEOUT_MS,
  type FeedParser,
  type FeedParserThread,
} from './parser.ts';
export { parseFeedDate, effectivePublishedAt } from './dates.ts';
export { sanitizeContent, htmlToText } from './sanitize.ts';
export { canonicalizeUrl } from './urls.ts';
export { teamMatcher, type TeamMatch, type TeamNames } from './team-match.ts';
export { storeFeedItems, type StoreOptions, type StoreSource } from './store.ts';
export { refreshSource, type RefreshDatabase, type RefreshDeps, type RefreshErrorKind, type RefreshOutcome } from './refresh.ts';
export type { FeedItem, ParsedFeed } from './types.ts';
