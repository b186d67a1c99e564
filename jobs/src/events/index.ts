export {
  eventTypes,
  eventTypeSchema,
  eventIdSchema,
  eventTeamIdSchema,
  newsItemSchema,
  toNewsItem,
  summaryUpdatedDataSchema,
  dashboardUpdatedDataSchema,
  newsCreatedEventSchema,
  summaryUpdatedEventSchema,
  dashboardUpdatedEventSchema,
  storedEventSchema,
  newEventSchema,
  parseEventMessage,
  compareEventIds,
  type EventType,
  type NewsItem,
  type SummaryUpdatedData,
  type DashboardUpdatedData,
  type StoredEvent,
  type NewEvent,
} from './schema.ts';
export type {
  EventBus,
  EventBusProblem,
  EventBusReporter,
  EventBusStats,
  EventChannel,
  EventListener,
  ReplayQuery,
  SubscribeOptions,
} from './interface.ts';
export { createMemoryEventBus, type MemoryEventBusOptions } from './memory.ts';
export { createRedisEventBus, teamChannel, type RedisEventBusOptions } from './redis.ts';
export { relayKeys } from './redis-checkpoint.ts';
export { toEventInsert } from './store.ts';
export { resumableStream, SlowConsumerError, type ResumableStreamOptions } from './resume.ts';
export { sharedTeamStream, sharedStreamStats, type SharedTeamStreamOptions } from './shared-streams.ts';
