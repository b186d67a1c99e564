import type { EventBus, JobQueue, SummarizerService } from '@pressbox/jobs';
import { createMetrics, type Metrics } from '../infra/metrics.ts';
import type { Dependency, OutageReporter } from '../infra/outages/index.ts';

/**
 * The process's metrics, with the gauges read from the job queue, the summarizer, the event bus
 * and the outage reporters of the dependencies.
 */
export function createServiceMetrics(parts: {
  queue: JobQueue;
  summaries: SummarizerService;
  events: EventBus;
  outages: Record<Dependency, OutageReporter>;
}): Metrics {
  const { queue, summaries, events, outages } = parts;
  const metrics = createMetrics();
  metrics.gauge(
    'pressbox_dependency_down',
    'Whether this process currently considers a dependency down (1) or up (0)',
    ['dependency'],
    (set) => {
      for (const [dependency, reporter] of Object.entries(outages)) set({ dependency }, reporter.isDown() ? 1 : 0);
    },
  );
  metrics.gauge('pressbox_dependency_outages', 'Outages of a dependency this process noticed since start', ['dependency'], (set) => {
    for (const [dependency, reporter] of Object.entries(outages)) set({ dependency }, reporter.outages());
  });
  metrics.gauge('pressbox_jobs', 'Jobs by name and state (job names this process has used)', ['name', 'state'], async (set) => {
    // Unreadable while Redis is away; the scrape still answers, and pressbox_dependency_down says why.
    const all = await queue.counts().catch(() => ({}));
    for (const [name, counts] of Object.entries(all)) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) set({ name, state }, counts[state]);
    }
  });
  metrics.gauge(
    'pressbox_summarizer_breaker',
    'Circuit breaker of the summary provider: 1 for its current state',
    ['provider', 'state'],
    (set) => {
      const health = summaries.health();
      for (const state of ['closed', 'open', 'half-open']) set({ provider: health.provider, state }, health.breaker === state ? 1 : 0);
    },
  );
  metrics.gauge('pressbox_summarizer_calls', 'Summary provider counters since start', ['stat'], (set) => {
    for (const [stat, value] of Object.entries(summaries.health().stats)) if (typeof value === 'number') set({ stat }, value);
  });
  metrics.gauge('pressbox_events', 'Event bus counters since start, and current channels and listeners', ['stat'], (set) => {
    const stats: Record<string, number> = { ...events.stats() };
    for (const [stat, value] of Object.entries(stats)) set({ stat }, value);
  });
  return metrics;
}
