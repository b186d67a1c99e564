import { generateOpml, parseOpml, type Opml } from 'feedsmith';
import { League, type SourceWithTeams } from '@pressbox/db';

/** A source as an OPML outline carries it: teams and league travel in `category` (`/teams/nba-bos`, `/league/NBA`). */
export interface OpmlSource {
  url: string;
  name: string;
  teamIds: string[];
  league: League | undefined;
}

export interface OpmlReadResult {
  sources: OpmlSource[];
  /** Outlines that could not become a source, with why. */
  skipped: { url: string; reason: string }[];
}

const MAX_OPML_BYTES = 1024 * 1024;
const MAX_OUTLINES = 2_000;
const leagues = new Set<string>(Object.values(League));

function categories(category: string | undefined): { teamIds: string[]; league: League | undefined } {
  const parts = (category ?? '').split(',').map((part) => part.trim());
  const teamIds = parts.flatMap((part) => /^\/teams\/([a-z0-9][a-z0-9-]{0,63})$/.exec(part)?.[1] ?? []);
  const leaguePart = parts.flatMap((part) => /^\/league\/([A-Z_]+)$/.exec(part)?.[1] ?? []).find((value) => leagues.has(value));
  return { teamIds, league: leaguePart as League | undefined };
}

/**
 * Reads the feed outlines of an OPML 1.0/2.0 document (nested folders included). Entity-declaring
 * documents are refused like feeds are; each outline without a usable http(s) `xmlUrl` is skipped
 * with its reason.
 */
export function readOpml(xml: string): OpmlReadResult {
  if (Buffer.byteLength(xml) > MAX_OPML_BYTES) throw new OpmlError('The OPML document is larger than 1 MiB');
  if (/<!ENTITY/i.test(xml)) throw new OpmlError('OPML documents that declare entities are not accepted');
  let document: Opml.Document<string>;
  try {
    document = parseOpml(xml);
  } catch {
    throw new OpmlError('This is not an OPML document');
  }
  const sources: OpmlSource[] = [];
  const skipped: OpmlReadResult['skipped'] = [];
  const walk = (outlines: Opml.Outline<string>[] | undefined, depth: number) => {
    for (const outline of outlines ?? []) {
      if (sources.length + skipped.length >= MAX_OUTLINES) return;
      if (outline.xmlUrl) {
        let url: URL | undefined;
        try {
          url = new URL(outline.xmlUrl);
        } catch {
          url = undefined;
        }
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
          skipped.push({ url: outline.xmlUrl.slice(0, 300), reason: 'not an http(s) URL' });
        } else {
          const name = (outline.title ?? outline.text ?? '').trim() || url.hostname;
          sources.push({ url: url.toString(), name: name.slice(0, 200), ...categories(outline.category) });
        }
      }
      if (depth < 8) walk(outline.outlines, depth + 1);
    }
  };
  walk(document.body?.outlines, 0);
  if (sources.length + skipped.length === 0) throw new OpmlError('The OPML document lists no feeds');
  return { sources, skipped };
}

/** Writes every source as an OPML 2.0 document that `readOpml` (and feed readers) can import. */
export function writeOpml(sources: readonly SourceWithTeams[], now: Date = new Date()): string {
  // The generator refuses a document without outlines; with no sources the body is empty.
  if (sources.length === 0)
    return `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head><title>Pressbox sources</title><dateCreated>${now.toUTCString()}</dateCreated></head><body/></opml>`;
  return generateOpml({
    head: { title: 'Pressbox sources', dateCreated: now.toUTCString() },
    body: {
      outlines: sources.map((source) => ({
        text: source.name,
        title: source.name,
        type: 'rss',
        xmlUrl: source.url,
        category: [...source.teamIds.map((id) => `/teams/${id}`), ...(source.league ? [`/league/${source.league}`] : [])].join(','),
      })),
    },
  });
}

export class OpmlError extends Error {
  override name = 'OpmlError';
}
