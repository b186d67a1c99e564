import { describe, expect, it } from 'vitest';
import { readOpml, writeOpml } from './opml.ts';

const now = new Date('2026-03-01T12:00:00Z');

describe('writeOpml', () => {
  it('writes an OPML 2.0 document with an empty body when there are no sources', () => {
    const xml = writeOpml([], now);
    expect(xml).toContain('<opml version="2.0">');
    expect(xml).toContain('<body/>');
    expect(xml).toContain(now.toUTCString());
    expect(() => readOpml(xml)).toThrow('The OPML document lists no feeds');
  });

  it('writes names that need escaping so that reading gives them back', () => {
    const name = `<Lakers & "Friends"> ’s feed`;
    const xml = writeOpml([{ id: 's1', name, url: 'https://example.com/feed.xml', teamIds: ['nba-lal'], league: null } as never], now);
    const read = readOpml(xml);
    expect(read.sources).toHaveLength(1);
    expect(read.sources[0]).toMatchObject({ name, url: 'https://example.com/feed.xml', teamIds: ['nba-lal'] });
  });
});
