import { parentPort } from 'node:worker_threads';
import { FeedParseError, parseFeed } from './parse.ts';
import type { ParseReply, ParseRequest } from './parser.ts';

/*
 * The thread `feedParserThread` starts: it parses the documents it is sent, one after another,
 * and answers each with the feed, or with the reason it is not one.
 */

function reply(request: ParseRequest): ParseReply {
  try {
    const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    return { id: request.id, feed: parseFeed(body, request.options) };
  } catch (error) {
    if (error instanceof FeedParseError) return { id: request.id, refused: { reason: error.reason, message: error.message } };
    return { id: request.id, failed: error instanceof Error ? error.message : 'the parser failed' };
  }
}

parentPort?.on('message', (request: ParseRequest) => {
  parentPort?.postMessage(reply(request));
});
// Loaded: from now on the time a document takes is its own.
parentPort?.postMessage({ ready: true } satisfies ParseReply);
