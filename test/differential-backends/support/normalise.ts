import { publicMessageOf, type PrismaClient } from '@pressbox/db';

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** How an instant looks once JSON carried it (`2025-06-15T12:00:00.000Z`); `Date.parse` checks the rest. */
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
/** Instants this close to the wall clock were written by the database's own `now()` (the worlds live in 2025). */
const wallClockSlackMs = 6 * 60 * 60 * 1000;

/**
 * Turns what one database answered into what the other must have answered too: generated ids
 * become names of what they identify (a source's URL, an article's URL, a game's external id, …),
 * event ids count from the world's first event, and instants of the database's `now()` become
 * `"now"`. Everything else (order, values, types) is kept as it came.
 */
export class Labels {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly eventBase: () => bigint,
  ) {}

  /** Learns the ids of every row that has one generated; call after anything that creates rows. */
  async refresh(): Promise<void> {
    const [sources, articles, games, summaries, fetches] = await Promise.all([
      this.prisma.source.findMany({ select: { id: true, url: true } }),
      this.prisma.article.findMany({ select: { id: true, url: true, title: true } }),
      this.prisma.game.findMany({ select: { id: true, externalId: true } }),
      this.prisma.summary.findMany({ select: { id: true, teamId: true, length: true, inputVersion: true } }),
      this.prisma.sourceFetch.findMany({ select: { id: true, sourceId: true, startedAt: true, outcome: true } }),
    ]);
    for (const row of sources) this.names.set(row.id, `source<${row.url}>`);
    for (const row of articles) this.names.set(row.id, `article<${row.url ?? row.title}>`);
    for (const row of games) this.names.set(row.id, `game<${row.externalId}>`);
    for (const row of summaries) this.names.set(row.id, `summary<${row.teamId}/${row.length}/${row.inputVersion}>`);
    for (const row of fetches) {
      this.names.set(row.id, `fetch<${this.names.get(row.sourceId) ?? '?'}@${row.startedAt.toISOString()}/${row.outcome}>`);
    }
  }

  /** A stable name for an id this database generated. */
  name(id: string): string {
    return this.names.get(id.toLowerCase()) ?? `unknown-uuid`;
  }

  normalise(value: unknown, key = ''): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value === 'bigint') return `event+${String(value - this.eventBase())}`;
    if (value instanceof Date) return this.instant(value);
    if (typeof value === 'string') return this.text(value, key);
    if (Array.isArray(value)) return value.map((item) => this.normalise(item));
    if (value instanceof Map) return this.normalise(Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), v])));
    if (value instanceof Set) return this.normalise([...value].sort());
    if (typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k, ''), this.normalise(v, k)]));
    }
    return value;
  }

  private instant(date: Date): string {
    if (Number.isNaN(date.getTime())) return 'Invalid Date';
    return Math.abs(date.getTime() - Date.now()) < wallClockSlackMs ? 'now' : date.toISOString();
  }

  private text(text: string, key: string): unknown {
    if (key === 'nextCursor') return { cursor: this.normalise(JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))) };
    if (isoInstant.test(text) && !Number.isNaN(Date.parse(text))) return this.instant(new Date(text));
    return text.replace(uuid, (id) => this.name(id));
  }
}

/** A call's answer, or how it failed (code and public message, ids named). */
export async function attempt(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await run() };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      error: `${typeof code === 'string' ? code : 'unknown'}: ${publicMessageOf(error, error instanceof Error ? error.message : 'thrown')}`,
    };
  }
}
