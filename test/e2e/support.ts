import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';
import type { FeedServer } from '../fakes/feed-server.ts';
import { adminApi, rssFeed, type FeedItem } from '../live/support.ts';
import { repoRoot } from '../support/process.ts';
import type { PressboxProcess } from '../consumers/support.ts';

const run = promisify(execFile);
const frontend = join(repoRoot, 'test/frontend');

/** Type-checks the reference frontend (strict, no skipLibCheck) and builds it with Vite into `outDir`. */
export async function buildFrontend(outDir: string): Promise<void> {
  await run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(frontend, 'tsconfig.json')]);
  await build({ root: frontend, logLevel: 'warn', build: { outDir, emptyOutDir: true }, configFile: false });
}

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves a built site from `dir` on 127.0.0.1:`port`. */
export async function serveSite(dir: string, port: number): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A feed at `path` that an admin adds as a source for `teamIds`; `publish` serves new items and fetches it. */
export function feedDesk(pressbox: PressboxProcess, feeds: FeedServer, adminId: string, path: string, teamIds: string[]) {
  const items: FeedItem[] = [];
  let sourceId: string | undefined;
  const admin = () =>
    adminApi((route, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${pressbox.token(adminId)}`);
      return fetch(`${pressbox.url}${route}`, { ...init, headers });
    });
  return {
    async publish(item: FeedItem): Promise<void> {
      items.push(item);
      feeds.route(path, { kind: 'document', body: rssFeed('Browser desk', items), contentType: 'application/rss+xml' });
      if (sourceId) {
        await admin().jobDone(await admin().refresh(sourceId));
        return;
      }
      const created = await admin().addSource(feeds.url(path), teamIds);
      sourceId = created.sourceId;
      await admin().jobDone(created.jobId);
    },
  };
}
