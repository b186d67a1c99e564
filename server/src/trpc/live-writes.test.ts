import { once } from 'node:events';
import type { StoredEvent } from '@pressbox/jobs';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { encodedFrame, encodedHead } from './live-encoding.ts';
import { frameWriter } from './live-writes.ts';

const PORT = 43_310;

function event(id: string): StoredEvent {
  return {
    id,
    type: 'news.created',
    teamId: 'nba-bos',
    at: '2026-12-07T00:00:00.000Z',
    data: {
      id: `a${id}`,
      title: `story ${id} ${'x'.repeat(Number(id) * 40)}`,
      url: null,
      author: null,
      summary: 'ü "quoted" \\ </script>',
      contentHtml: null,
      publishedAt: '2026-12-07T00:00:00.000Z',
      updatedAt: '2026-12-07T00:00:00.000Z',
      source: { id: 's1', name: 'Wire' },
      teams: [{ id: 'nba-bos', matchedBy: 'SOURCE' }],
      alsoFrom: [],
    },
  };
}

const handlerMessage = (id: number, item: StoredEvent) =>
  JSON.stringify({ id, jsonrpc: '2.0', result: { type: 'data', data: { id: item.id, data: item }, id: item.id } });

let server: WebSocketServer | undefined;
afterEach(async () => {
  for (const client of server?.clients ?? []) client.terminate();
  const closing = server;
  server = undefined;
  if (closing)
    await new Promise((resolve) => {
      closing.close(resolve);
    });
});

/** A real server and client on loopback: the server's side of the connection and the client's messages. */
async function connect(perMessageDeflate: boolean): Promise<{ socket: WebSocket; received: string[]; client: WebSocket }> {
  server = new WebSocketServer({ host: '127.0.0.1', port: PORT, perMessageDeflate });
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${String(PORT)}`, { perMessageDeflate });
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString('utf8')));
  await once(client, 'open');
  const [socket] = await accepted;
  return { socket, received, client };
}

async function until(check: () => boolean): Promise<void> {
  for (let tries = 0; !check(); tries++) {
    if (tries > 200) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('live frames written to the connection', () => {
  it('builds the frame of an event once per subscriber head', () => {
    const item = event('7');
    const head = encodedHead({ id: 1, jsonrpc: '2.0' });
    const frame = encodedFrame(item, head);
    expect(encodedFrame(item, encodedHead({ id: 1, jsonrpc: '2.0' }))).toBe(frame);
    expect(encodedFrame(item, encodedHead({ id: 2, jsonrpc: '2.0' }))).not.toBe(frame);
  });

  it('writes ready-made frames that a ws client reads as the handler’s messages, a tick’s frames held as unread bytes until written together', async () => {
    const { socket, received } = await connect(false);
    const write = frameWriter(socket);
    const head = encodedHead({ id: 3, jsonrpc: '2.0' });
    const events = [event('1'), event('2'), event('3')];
    for (const item of events) write(item, head);
    const bytes = events.reduce((sum, item) => sum + encodedFrame(item, head).length, 0);
    expect(socket.bufferedAmount).toBeGreaterThanOrEqual(bytes);
    await until(() => received.length === events.length);
    expect(received).toEqual(events.map((item) => handlerMessage(3, item)));
    expect(socket.bufferedAmount).toBe(0);
  });

  it('hands a tick’s frames to the kernel in slices, so corked bytes do not pass for unread ones', async () => {
    const { socket, received } = await connect(false);
    const write = frameWriter(socket);
    const head = encodedHead({ id: 1, jsonrpc: '2.0' });
    // 16-bit lengths, then one frame with a 64-bit length.
    const events = [...Array.from({ length: 40 }, (_, index) => event(String(index + 100))), event('3000')];
    for (const item of events) write(item, head);
    const bytes = events.reduce((sum, item) => sum + encodedFrame(item, head).length, 0);
    expect(bytes).toBeGreaterThan(256 * 1024);
    expect(socket.bufferedAmount).toBeLessThan(bytes / 2);
    await until(() => received.length === events.length);
    expect(received).toEqual(events.map((item) => handlerMessage(1, item)));
  });

  it('sends through ws when the connection compresses its messages', async () => {
    const { socket, received } = await connect(true);
    expect(socket.extensions).not.toBe('');
    const write = frameWriter(socket);
    const head = encodedHead({ id: 'op-1', jsonrpc: undefined });
    write(event('4'), head);
    await until(() => received.length === 1);
    expect(JSON.parse(received[0] ?? '')).toEqual(
      JSON.parse(handlerMessage(0, event('4')).replace('"id":0,"jsonrpc":"2.0"', '"id":"op-1"')),
    );
  });
});
