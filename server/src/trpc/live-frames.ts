import { SlowConsumerError, type StoredEvent } from '@pressbox/jobs';
import type { WebSocket } from 'ws';
import type { LivePipe, LiveSink, SubscriptionKey } from './context.ts';
import { encodedHead, type Head, type Operation } from './live-encoding.ts';
import { frameWriter, type FrameWrite } from './live-writes.ts';

export { encodedTail } from './live-encoding.ts';

/**
 * Live events written straight to the subscriber's socket as tRPC data messages, bypassing the
 * per-subscriber encoding and iteration of tRPC's WebSocket handler.
 *
 * Every listener of a team in one process receives the same event object from the bus, so the
 * part of the message that does not depend on the subscriber (`"result":{…}}`) is serialized
 * once per event per process and kept in a WeakMap; each socket gets that buffer behind its own
 * few bytes of `{"id":…,`. The messages are byte for byte what the handler would send for
 * `tracked(event.id, event)`.
 *
 * The subscriber's operation id is read from its `subscription` message as it arrives (the
 * handler does not hand it to the procedure); a procedure claims it by path, team and
 * `lastEventId`. Two pending subscriptions with the same key cannot be told apart: both fall back
 * to the handler's own path.
 */

/**
 * A subscriber that leaves this much unread is shed: its connection is dropped at once (a close
 * frame would wait behind what it does not read) and its client resumes from the event log.
 */
export const SHED_BUFFERED_BYTES = 1024 * 1024;
/** Unclaimed subscription messages remembered per socket (refused ones are never claimed). */
const MAX_PENDING = 32;

export function subscriptionKey(key: SubscriptionKey): string {
  return `${key.path}\n${key.teamId ?? ''}\n${key.lastEventId ?? ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The key and operation of a raw `subscription` message, or undefined for any other message. */
function operationOf(message: unknown): { key: string; operation: Operation } | undefined {
  if (!isRecord(message) || message['method'] !== 'subscription') return undefined;
  const id = message['id'];
  const params = message['params'];
  if ((typeof id !== 'string' && typeof id !== 'number') || !isRecord(params) || typeof params['path'] !== 'string') return undefined;
  const input = isRecord(params['input']) ? params['input'] : {};
  const teamId = typeof input['teamId'] === 'string' ? input['teamId'] : undefined;
  const lastEventIdRaw = params['lastEventId'] ?? input['lastEventId'];
  const lastEventId = typeof lastEventIdRaw === 'string' ? lastEventIdRaw : undefined;
  return {
    key: subscriptionKey({ path: params['path'], teamId, lastEventId }),
    operation: { id, jsonrpc: message['jsonrpc'] === '2.0' ? '2.0' : undefined },
  };
}

/** The subscription messages of one socket not yet claimed by their procedure. */
class PendingOperations {
  private readonly byKey = new Map<string, Operation[]>();
  private size = 0;

  record(raw: unknown): void {
    for (const message of Array.isArray(raw) ? (raw as unknown[]) : [raw]) {
      if (isRecord(message) && message['method'] === 'subscription.stop') this.forget(message['id']);
      const found = operationOf(message);
      if (!found) continue;
      if (this.size >= MAX_PENDING) this.clear();
      const list = this.byKey.get(found.key) ?? [];
      list.push(found.operation);
      this.byKey.set(found.key, list);
      this.size += 1;
    }
  }

  claim(key: string): Operation | undefined {
    const list = this.byKey.get(key);
    if (list === undefined) return undefined;
    this.byKey.delete(key);
    this.size -= list.length;
    return list.length === 1 ? list[0] : undefined;
  }

  private forget(id: unknown): void {
    for (const [key, list] of this.byKey) {
      const kept = list.filter((operation) => operation.id !== id);
      this.size -= list.length - kept.length;
      if (kept.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, kept);
    }
  }

  private clear(): void {
    this.byKey.clear();
    this.size = 0;
  }
}

/**
 * Starts recording the socket's subscription messages and returns what its procedures use to
 * write their events to it directly. `shed` closes the socket so that its client resumes.
 */
export function liveSink(socket: WebSocket, shed: (reason: 'unread' | 'behind') => void): LiveSink {
  const pending = new PendingOperations();
  let write: FrameWrite | undefined;
  socket.on('message', (data: unknown, isBinary: boolean) => {
    if (isBinary || !Buffer.isBuffer(data)) return;
    const text = data.toString('utf8');
    if (!text.includes('"subscription')) return;
    try {
      pending.record(JSON.parse(text));
    } catch {
      // Not JSON: the handler answers it with a parse error.
    }
  });
  return {
    claim(key: SubscriptionKey): LivePipe | undefined {
      const operation = pending.claim(subscriptionKey(key));
      if (!operation) return undefined;
      const head = encodedHead(operation);
      write ??= frameWriter(socket);
      const writeTo = write;
      return { pump: (events, signal) => pumpEvents(socket, head, writeTo, events, signal, shed) };
    },
  };
}

/**
 * Writes each event to the socket until the stream ends, the subscription is stopped or the
 * socket closes. A socket with more than SHED_BUFFERED_BYTES unread, or a stream that fell behind
 * the live events, is shed: the socket is dropped, or closed with 4002 when it still reads, and
 * the client resumes from its last event id.
 */
async function pumpEvents(
  socket: WebSocket,
  head: Head,
  write: FrameWrite,
  events: AsyncIterable<StoredEvent>,
  signal: AbortSignal,
  shed: (reason: 'unread' | 'behind') => void,
): Promise<void> {
  try {
    for await (const event of events) {
      if (signal.aborted || socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > SHED_BUFFERED_BYTES) {
        shed('unread');
        return;
      }
      write(event, head);
    }
  } catch (error) {
    if (!(error instanceof SlowConsumerError)) throw error;
    shed('behind');
  }
}
