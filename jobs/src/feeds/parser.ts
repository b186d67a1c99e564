import { Worker } from 'node:worker_threads';
import { FeedParseError, parseFeed, type FeedParseFailure, type ParseFeedOptions } from './parse.ts';
import type { ParsedFeed } from './types.ts';

/** Parses a fetched document into a feed (see `parseFeed`); rejects with FeedParseError when it is not one. */
export type FeedParser = (body: Buffer, options: ParseFeedOptions) => Promise<ParsedFeed>;

/** `parseFeed` on the calling thread. */
export const parseHere: FeedParser = (body, options) =>
  new Promise((resolve) => {
    resolve(parseFeed(body, options));
  });

/** A document sent to the parser thread. */
export interface ParseRequest {
  id: number;
  body: Uint8Array;
  options: ParseFeedOptions;
}

/** What the parser thread says: that it is ready, then for each document the feed, the reason it is not one, or its own failure. */
export type ParseReply =
  | { ready: true }
  | { id: number; feed: ParsedFeed }
  | { id: number; refused: { reason: FeedParseFailure; message: string } }
  | { id: number; failed: string };

/** Longest a document may take to parse before the thread is replaced and the document refused. */
export const PARSE_TIMEOUT_MS = 20_000;

export interface FeedParserThread {
  parse: FeedParser;
  /** Stops the thread; parses still waiting reject. */
  close(): Promise<void>;
}

interface Pending {
  request: ParseRequest;
  resolve: (feed: ParsedFeed) => void;
  reject: (error: Error) => void;
  /** Set while the thread is parsing it. */
  timer?: NodeJS.Timeout | undefined;
}

/*
 * Run from TypeScript sources (development, tests), the thread registers tsx before loading its
 * module: a worker does not inherit the loader hooks of the thread that starts it.
 */
const fromSources = import.meta.url.endsWith('.ts');
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
import(workerData.loader).then((tsx) => { tsx.register(); return import(workerData.entry); });`;

function startThread(): Worker {
  if (!fromSources) return new Worker(new URL('./parse-thread.js', import.meta.url));
  const loader = import.meta.resolve('tsx/esm/api');
  return new Worker(BOOTSTRAP, { eval: true, workerData: { loader, entry: new URL('./parse-thread.ts', import.meta.url).href } });
}

/**
 * A thread that parses feeds off the event loop, so a large document does not hold up the
 * requests and jobs of the process meanwhile. Documents are parsed one after another, in the
 * order sent; one that takes longer than `timeoutMs` to parse (from when the thread starts on it)
 * is refused ('too-slow') and the thread replaced, the documents queued behind it sent again. A
 * thread that dies fails the documents it held, and the next document starts another. The thread
 * does not keep the process alive while it has nothing to parse.
 *
 * @example
 * const parser = feedParserThread();
 * const feed = await parser.parse(fetched.body, { baseUrl: fetched.finalUrl, fetchedAt: new Date() });
 */
export function feedParserThread(options: { timeoutMs?: number } = {}): FeedParserThread {
  const thread = new ParserThread(options.timeoutMs ?? PARSE_TIMEOUT_MS);
  return { parse: (body, parseOptions) => thread.parse(body, parseOptions), close: () => thread.close() };
}

class ParserThread {
  // In the order sent, which is the order the thread parses them in: the first is being parsed.
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  // Whether `#worker` has loaded: the time it takes to start is not the document's.
  #ready = false;
  #nextId = 0;

  constructor(readonly timeoutMs: number) {}

  parse(body: Buffer, options: ParseFeedOptions): Promise<ParsedFeed> {
    return new Promise<ParsedFeed>((resolve, reject) => {
      // A copy of exactly the document: a small Buffer is a view into a shared pool.
      const entry: Pending = { request: { id: this.#nextId++, body: new Uint8Array(body), options }, resolve, reject };
      this.#pending.set(entry.request.id, entry);
      this.#send(entry);
      this.#timeFirst();
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(new Error('the feed parser was closed'));
    await worker?.terminate();
  }

  #send(entry: Pending): void {
    if (this.#worker === undefined) {
      this.#ready = false;
      this.#worker = this.#attach(startThread());
    }
    this.#worker.ref();
    this.#worker.postMessage(entry.request);
  }

  #timeFirst(): void {
    const [first] = this.#pending.values();
    if (!this.#ready || first === undefined || first.timer !== undefined) return;
    const { id } = first.request;
    first.timer = setTimeout(() => {
      this.#settle(id)?.reject(new FeedParseError('too-slow', `the document took longer than ${String(this.timeoutMs)} ms to parse`));
      this.#restart();
    }, this.timeoutMs);
  }

  #settle(id: number): Pending | undefined {
    const entry = this.#pending.get(id);
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker?.unref();
    else this.#timeFirst();
    return entry;
  }

  /** A new thread for the documents still waiting, in their order. */
  #restart(): void {
    void this.#worker?.terminate();
    this.#worker = undefined;
    for (const entry of this.#pending.values()) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
      this.#send(entry);
    }
    this.#timeFirst();
  }

  #attach(worker: Worker): Worker {
    worker.on('message', (answer: ParseReply) => {
      if ('ready' in answer) {
        if (this.#worker !== worker) return;
        this.#ready = true;
        this.#timeFirst();
        return;
      }
      const entry = this.#settle(answer.id);
      if (entry === undefined) return;
      if ('feed' in answer) entry.resolve(answer.feed);
      else if ('refused' in answer) entry.reject(new FeedParseError(answer.refused.reason, answer.refused.message));
      else entry.reject(new Error(`the feed parser failed: ${answer.failed}`));
    });
    const lost = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(new Error('the feed parser thread stopped', { cause: error }));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      lost(new Error(`exit code ${String(code)}`));
    });
    return worker;
  }
}

/**
 * Documents from this size on are parsed in the thread: they hold an event loop for 40 ms and more.
 * Smaller ones are parsed where they are stored, which costs less than copying them and their
 * entries between threads (bench/results/ingest.notes.md).
 */
export const OFF_THREAD_BYTES = 1024 * 1024;

let shared: FeedParserThread | undefined;

/**
 * The parser the workers use: documents of `OFF_THREAD_BYTES` and more in one parser thread for
 * the process (the workers of every runtime in it share it), smaller ones on the calling thread.
 */
export function sharedFeedParser(): FeedParser {
  return (body, options) =>
    body.length >= OFF_THREAD_BYTES ? (shared ??= feedParserThread()).parse(body, options) : parseHere(body, options);
}
