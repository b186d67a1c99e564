import { EventEmitter } from 'node:events';
import { SlowConsumerError, type StoredEvent } from '@pressbox/jobs';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { encodedTail, liveSink, SHED_BUFFERED_BYTES } from './live-frames.ts';

/** The slice of a `ws` socket the frame path uses, recording what is sent. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Buffer[] = [];
  send(data: Buffer): void {
    this.sent.push(data);
  }
  /** A text message from the client, as `ws` hands it over. */
  receive(message: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
}

function event(id: string, title = `story ${id}`): StoredEvent {
  return {
    id,
    type: 'news.created',
    teamId: 'nba-bos',
    at: '2026-12-07T00:00:00.000Z',
    data: {
      id: `a${id}`,
      title,
      url: null,
      author: null,
      summary: 'ü "quoted" \\ </script>',
      contentHtml: null,
      publishedAt: '2026-12-07T00:00:00.000Z',
      updatedAt: '2026-12-07T00:00:00.000Z',
      source: { id: 's1', name: 'Wire' },
      teams: [{ id: 'nba-bos', matchedBy: 'SOURCE' }],
    },
  };
}

/** The events as a stream; `before` runs as each is handed out, `fail` ends the stream. */
async function* from(events: StoredEvent[], options: { before?: () => void; fail?: Error } = {}): AsyncGenerator<StoredEvent> {
  for (const item of events) {
    await Promise.resolve();
    options.before?.();
    yield item;
  }
  if (options.fail) throw options.fail;
}

function subscribe(socket: FakeSocket, id: number | string, teamId: string, lastEventId?: string): void {
  socket.receive({ id, jsonrpc: '2.0', method: 'subscription', params: { path: 'teams.onNews', input: { teamId }, lastEventId } });
}

const asSocket = (socket: FakeSocket) => socket as unknown as WebSocket;
const noShed = () => {
  throw new Error('shed');
};

describe('live events written to the socket directly', () => {
  it('sends each event as the exact message tRPC’s handler sends for tracked(event.id, event)', async () => {
    const socket = new FakeSocket();
    const sink = liveSink(asSocket(socket), noShed);
    subscribe(socket, 7, 'nba-bos', '41');
    const pipe = sink.claim({ path: 'teams.onNews', teamId: 'nba-bos', lastEventId: '41' });
    const events = [event('42'), event('43')];
    await pipe?.pump(from(events), new AbortController().signal);
    const handlerMessage = (item: StoredEvent) =>
      JSON.stringify({ id: 7, jsonrpc: '2.0', result: { type: 'data', data: { id: item.id, data: item }, id: item.id } });
    expect(socket.sent.map((data) => data.toString('utf8'))).toEqual(events.map(handlerMessage));
  });

  it('encodes an event once however many subscribers it goes to', async () => {
    const shared = event('50');
    const sockets = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    const pipes = sockets.map((socket, index) => {
      const sink = liveSink(asSocket(socket), noShed);
      subscribe(socket, index + 1, 'nba-bos');
      const pipe = sink.claim({ path: 'teams.onNews', teamId: 'nba-bos' });
      if (!pipe) throw new Error('no pipe');
      return pipe;
    });
    await Promise.all(pipes.map((pipe) => pipe.pump(from([shared]), new AbortController().signal)));
    const tail = encodedTail(shared);
    expect(encodedTail(shared)).toBe(tail);
    for (const [index, socket] of sockets.entries()) {
      const [message] = socket.sent;
      expect(message?.subarray(message.length - tail.length).equals(tail)).toBe(true);
      expect(JSON.parse(message?.toString('utf8') ?? '')).toMatchObject({ id: index + 1, result: { id: '50' } });
    }
  });

  it('sheds a subscriber that leaves too much unread, and one whose stream fell behind', async () => {
    const reasons: string[] = [];
    const slow = new FakeSocket();
    const slowSink = liveSink(asSocket(slow), (reason) => reasons.push(reason));
    subscribe(slow, 1, 'nba-bos');
    const slowPipe = slowSink.claim({ path: 'teams.onNews', teamId: 'nba-bos' });
    await slowPipe?.pump(
      from([event('1'), event('2')], {
        before: () => {
          slow.bufferedAmount = SHED_BUFFERED_BYTES + 1;
        },
      }),
      new AbortController().signal,
    );
    const behind = new FakeSocket();
    const behindSink = liveSink(asSocket(behind), (reason) => reasons.push(reason));
    subscribe(behind, 1, 'nba-bos');
    const behindPipe = behindSink.claim({ path: 'teams.onNews', teamId: 'nba-bos' });
    expect(slowPipe && behindPipe).toBeDefined();
    await behindPipe?.pump(from([event('1')], { fail: new SlowConsumerError(1000) }), new AbortController().signal);
    expect(slow.sent).toHaveLength(0);
    expect(behind.sent).toHaveLength(1);
    expect(reasons).toEqual(['unread', 'behind']);
  });

  it('stops at the subscription’s abort and leaves subscriptions it cannot tell apart to tRPC', async () => {
    const socket = new FakeSocket();
    const sink = liveSink(asSocket(socket), noShed);
    subscribe(socket, 1, 'nba-bos');
    subscribe(socket, 2, 'nba-bos');
    expect(sink.claim({ path: 'teams.onNews', teamId: 'nba-bos' })).toBeUndefined();
    subscribe(socket, 3, 'nba-lal');
    socket.receive({ id: 3, method: 'subscription.stop' });
    expect(sink.claim({ path: 'teams.onNews', teamId: 'nba-lal' })).toBeUndefined();
    subscribe(socket, 4, 'nba-nyk');
    const stop = new AbortController();
    const pipe = sink.claim({ path: 'teams.onNews', teamId: 'nba-nyk' });
    expect(pipe).toBeDefined();
    const pumping = pipe?.pump(
      from([event('1'), event('2')], {
        before: () => {
          stop.abort();
        },
      }),
      stop.signal,
    );
    await pumping;
    expect(socket.sent).toHaveLength(0);
  });
});
