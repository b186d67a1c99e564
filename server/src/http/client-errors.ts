import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '@pressbox/db';
import { errorMessages, errorStatus, type ErrorBody } from '../schemas/error.ts';
import { isBatchQuery, trpcCallPaths, trpcErrorJson } from './transport-errors.ts';
import { queryOf } from './query-string.ts';

/** The most a request line plus headers may take; Node answers 431 past it, before any middleware. */
export const MAX_HEADER_BYTES = 16 * 1024;

const reasons: Partial<Record<number, string>> = { 400: 'Bad Request', 431: 'Request Header Fields Too Large' };

interface ClientError extends Error {
  code?: string;
  rawPacket?: Buffer;
}

/** The body of a request Node refused: tRPC's envelope when the request line names `/trpc`, else the documented body. */
function refusalJson(rawPacket: Buffer | undefined, body: ErrorBody): string {
  const requestLine = rawPacket?.toString('latin1', 0, Math.min(rawPacket.length, MAX_HEADER_BYTES)).split('\r\n', 1)[0] ?? '';
  const target = requestLine.split(' ', 2)[1] ?? '';
  if (target !== '/trpc' && !target.startsWith('/trpc/') && !target.startsWith('/trpc?')) return JSON.stringify(body);
  const queryAt = target.indexOf('?');
  const batch = isBatchQuery(queryOf(target));
  return trpcErrorJson(body, { paths: trpcCallPaths(target.slice('/trpc'.length, queryAt >= 0 ? queryAt : undefined), batch), batch });
}

/**
 * Answers what Node's HTTP parser refuses (a URL or headers over 16 KiB, a malformed request)
 * with the documented JSON error body instead of Node's empty one, then closes the connection.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', function answerClientError(error: ClientError, socket: Duplex) {
    // As Node does: a response already under way on this connection cannot be followed by another.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const code: ErrorCode = error.code === 'HPE_HEADER_OVERFLOW' ? 'REQUEST_HEADER_FIELDS_TOO_LARGE' : 'BAD_REQUEST';
    const requestId = randomUUID();
    const message = code === 'BAD_REQUEST' ? 'The request is not valid HTTP' : errorMessages[code];
    const json = refusalJson(error.rawPacket, { code, message, requestId });
    const status = errorStatus[code];
    socket.end(
      `HTTP/1.1 ${String(status)} ${reasons[status] ?? 'Bad Request'}\r\n` +
        `content-type: application/json\r\ncontent-length: ${String(Buffer.byteLength(json))}\r\n` +
        `x-request-id: ${requestId}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${json}`,
    );
  });
}
