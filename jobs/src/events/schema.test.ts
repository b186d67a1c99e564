import { describe, expect, it } from 'vitest';
import { compareEventIds, eventIdSchema, newEventSchema, parseEventMessage, storedEventSchema, type NewsItem } from './schema.ts';

const item: NewsItem = {
  id: '0195f0e2-1111-7000-8000-000000000001',
  title: 'Celtics win',
  url: 'https://example.com/a',
  author: null,
  summary: 'They won.',
  contentHtml: '<p>They won.</p>',
  publishedAt: '2026-11-26T15:04:05.000Z',
  updatedAt: '2026-11-26T15:04:05.000Z',
  source: { id: 'src-1', name: 'Example' },
  teams: [{ id: 'nba-bos', matchedBy: 'SOURCE' }],
  alsoFrom: [],
};

describe('event schemas', () => {
  it('accepts a stored news event in the wire format', () => {
    const event = { id: '42', type: 'news.created', teamId: 'nba-bos', at: '2026-11-26T15:04:05.000+00:00', data: item };
    expect(storedEventSchema.parse(event)).toEqual(event);
  });

  it('rejects a stored event whose data does not fit its type', () => {
    const event = { id: '42', type: 'summary.updated', teamId: 'nba-bos', at: '2026-11-26T15:04:05.000Z', data: item };
    expect(storedEventSchema.safeParse(event).success).toBe(false);
  });

  it('rejects an unknown event type', () => {
    const event = { id: '42', type: 'news.deleted', teamId: 'nba-bos', at: '2026-11-26T15:04:05.000Z', data: {} };
    expect(storedEventSchema.safeParse(event).success).toBe(false);
  });

  it('rejects a date without an ISO-8601 shape', () => {
    const event = { id: '1', type: 'dashboard.updated', teamId: 'nba-bos', at: 'yesterday', data: { teamId: 'nba-bos', reason: 'game' } };
    expect(storedEventSchema.safeParse(event).success).toBe(false);
  });

  it('requires a new summary or dashboard event to name the team its data is about', () => {
    const mismatched = newEventSchema.safeParse({
      type: 'dashboard.updated',
      teamId: 'nba-bos',
      data: { teamId: 'nba-lal', reason: 'game final' },
    });
    expect(mismatched.success).toBe(false);
    const summary = { teamId: 'nba-bos', length: 'SHORT', summaryId: 's1', generatedAt: '2026-11-26T15:04:05.000Z' } as const;
    expect(newEventSchema.safeParse({ type: 'summary.updated', teamId: 'nba-bos', data: summary }).success).toBe(true);
  });

  it('requires a new news event to belong to a team the item is tagged with', () => {
    expect(newEventSchema.safeParse({ type: 'news.created', teamId: 'nba-lal', data: item }).success).toBe(false);
    expect(newEventSchema.safeParse({ type: 'news.created', teamId: 'nba-bos', data: item }).success).toBe(true);
  });

  it('accepts decimal ids up to the largest BigInt and nothing else', () => {
    expect(eventIdSchema.safeParse('9223372036854775807').success).toBe(true);
    for (const bad of ['9223372036854775808', '-1', '01', '1e3', '', ' 1']) expect(eventIdSchema.safeParse(bad).success).toBe(false);
  });

  it('orders ids numerically, not as text', () => {
    expect(compareEventIds('9', '10')).toBe(-1);
    expect(compareEventIds('10', '10')).toBe(0);
    expect(['10', '9', '100'].sort(compareEventIds)).toEqual(['9', '10', '100']);
  });

  it('parses a Redis message into an event, and anything else into undefined', () => {
    const event = {
      id: '7',
      type: 'dashboard.updated',
      teamId: 'nba-bos',
      at: '2026-11-26T15:04:05.000Z',
      data: { teamId: 'nba-bos', reason: 'x' },
    };
    expect(parseEventMessage(JSON.stringify(event))).toEqual(event);
    expect(parseEventMessage('{not json')).toBeUndefined();
    expect(parseEventMessage('null')).toBeUndefined();
    expect(parseEventMessage(JSON.stringify({ ...event, id: 7 }))).toBeUndefined();
  });
});
