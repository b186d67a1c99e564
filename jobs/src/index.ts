export {
  createRedis,
  isRedisUnavailable,
  RedisUnavailableError,
  redisCommandTimeoutMs,
  waitForRedis,
  type Redis,
  type RedisConnectionOptions,
} from './redis.ts';
export {
  createSummarizer,
  createExtractiveSummarizer,
  createOpenAiSummarizer,
  summarizeExtractively,
  extractiveModel,
  selectArticles,
  inputVersion,
  lengthSettings,
  answerLimits,
  ProviderPolicy,
  defaultResilienceOptions,
  CircuitBreaker,
  systemClock as summarizerSystemClock,
  SummarizerError,
  NoArticlesError,
  InvalidSummaryError,
  ProviderUnavailableError,
  ProviderRejectedError,
  TransientProviderError,
  AttemptTimeoutError,
  summaryAnswerSchema,
  groundAnswer,
  systemPrompt,
  buildUserPrompt,
  articlesBlock,
  type SummarizerConfig,
  type SummarizerService,
  type Summarizer,
  type SummaryInput,
  type SummaryArticle,
  type SummaryResult,
  type SummaryBullet,
  type SummaryProviderName,
  type SummarizerHealth,
  type ProviderStats,
  type BreakerState,
  type ResilienceOptions,
  type AttemptContext,
  type InvalidSummaryReason,
  type UnavailableReason,
  type Clock as SummarizerClock,
} from './summaries/index.ts';
export {
  createJobQueue,
  createBullmqJobQueue,
  createMemoryJobQueue,
  isJobQueueHealthy,
  defineJob,
  jobIdFor,
  jobNameOf,
  NonRetryableError,
  InvalidJobPayloadError,
  JobTimeoutError,
  maxJobErrorLength,
  internalJobError,
  silentJobLogger,
  type JobQueueConfig,
  type BullmqJobQueueOptions,
  type SchemaIssue,
  type EnqueueOptions,
  type EnqueueResult,
  type JobContext,
  type JobDefinition,
  type JobInfo,
  type JobProcessor,
  type JobProgress,
  type JobQueue,
  type JobQueueLogger,
  type JobState,
  type QueueCounts,
  type SchedulerOptions,
} from './queue/index.ts';
export * from './feeds/index.ts';
export { startWorkers, type WorkerDeps } from './workers.ts';
export { feedFetchJob, feedScanJob, feedFetchJobKey, FEED_SCAN_EVERY_MS } from './ingestion/jobs.ts';
export { enqueueDueSources } from './ingestion/scan.ts';
export { afterNewsCommitted, announceNews, announceStoredNews, newsEvents, type AnnounceDeps } from './ingestion/announce.ts';
export { runFeedFetch } from './ingestion/fetch-worker.ts';
export { regenerateAfterNews, type RegenerateDeps } from './ingestion/regenerate.ts';
export {
  summaryJob,
  summaryJobKey,
  generateTeamSummary,
  unusableAnswerMessage,
  type SummaryJobResult,
  type SummaryWorkerDeps,
} from './team-summaries/job.ts';
export { loadTeamSummaryInput, type TeamSummaryInput } from './team-summaries/input.ts';
export { regenerateStaleSummaries, type HealDeps } from './team-summaries/heal.ts';
export { readOpml, writeOpml, OpmlError, type OpmlSource, type OpmlReadResult } from './ingestion/opml.ts';
export * from './games/index.ts';
export * from './events/index.ts';
export { prune, pruneJob, EVENT_RETENTION_MS, WEBHOOK_DELIVERY_RETENTION_MS } from './maintenance.ts';
export { storyMatcher, STORY_WINDOW_MS, type StoryMatcherOptions } from './stories/matcher.ts';
export { sameStory, storySignature, storySimilarity, STORY_THRESHOLD, type StorySignature, type StoryText } from './stories/similarity.ts';
