import type { StoredEvent } from '@pressbox/jobs';

/**
 * The bytes of the tRPC data messages that carry live events, built once per event per process:
 * the part every subscriber shares, and whole WebSocket frames per subscriber head.
 */

/** A subscriber's operation, as its `subscription` message named it. */
export interface Operation {
  id: string | number;
  jsonrpc: '2.0' | undefined;
}

const tails = new WeakMap<StoredEvent, Buffer>();
/** Whole WebSocket frames of an event by the head of the subscribers they go to. */
const frames = new WeakMap<StoredEvent, Map<string, Buffer>>();

/** `"result":{…}}` of the data message carrying this event: the same for every subscriber. */
export function encodedTail(event: StoredEvent): Buffer {
  let tail = tails.get(event);
  if (tail === undefined) {
    const id = JSON.stringify(event.id);
    tail = Buffer.from(`"result":{"type":"data","data":{"id":${id},"data":${JSON.stringify(event)}},"id":${id}}}`);
    tails.set(event, tail);
  }
  return tail;
}

/** The header of an unmasked final text frame (what a server sends) carrying `length` bytes. */
function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65_536) return Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  const header = Buffer.alloc(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/**
 * The complete WebSocket frame of the data message carrying `event` to subscribers whose
 * messages start with `head`. Subscribers usually share their operation id (clients number their
 * operations from 1), so in one process an event is framed once per id shape, not per socket.
 */
export function encodedFrame(event: StoredEvent, head: Head): Buffer {
  let byHead = frames.get(event);
  if (byHead === undefined) {
    byHead = new Map();
    frames.set(event, byHead);
  }
  let frame = byHead.get(head.text);
  if (frame === undefined) {
    const tail = encodedTail(event);
    const length = head.bytes.length + tail.length;
    frame = Buffer.concat([textFrameHeader(length), head.bytes, tail]);
    byHead.set(head.text, frame);
  }
  return frame;
}

/** `{"id":…,` (and `"jsonrpc":"2.0",` when the client sent it): what one subscriber's messages start with. */
export interface Head {
  readonly text: string;
  readonly bytes: Buffer;
}

export function encodedHead(operation: Operation): Head {
  const text = `{"id":${JSON.stringify(operation.id)},${operation.jsonrpc ? '"jsonrpc":"2.0",' : ''}`;
  return { text, bytes: Buffer.from(text) };
}
