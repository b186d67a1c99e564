import { Socket } from 'node:net';
import type { StoredEvent } from '@pressbox/jobs';
import type { WebSocket } from 'ws';
import { encodedFrame, encodedTail, type Head } from './live-encoding.ts';

/** Bytes held back for one write at most before they are handed to the kernel. */
const MAX_HELD_BYTES = 64 * 1024;

/** Writes the data message of one event to one subscriber. */
export type FrameWrite = (event: StoredEvent, head: Head) => void;

/** The TCP socket under a `ws` WebSocket, when it exposes one. */
function transportOf(socket: WebSocket): Socket | undefined {
  const transport = (socket as unknown as { _socket?: unknown })._socket;
  return transport instanceof Socket ? transport : undefined;
}

/**
 * How events reach one socket. Without extensions (no permessage-deflate), a frame is the same
 * bytes for every subscriber with the same head, so it is built once per process
 * (`encodedFrame`) and written to the TCP socket as is; every frame of one tick goes out in one
 * write (corked until the tick's work is done, or 64 KiB). `ws` writes its own frames (pings, close)
 * synchronously, so they never land inside one of these, and the bytes waiting still count in
 * `socket.bufferedAmount`, which backpressure reads. Otherwise each message goes through
 * `socket.send`.
 */
export function frameWriter(socket: WebSocket): FrameWrite {
  const transport = socket.extensions === '' ? transportOf(socket) : undefined;
  if (transport === undefined) {
    return (event, head) => {
      socket.send(Buffer.concat([head.bytes, encodedTail(event)]), { binary: false });
    };
  }
  let corked = false;
  let held = 0;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    held = 0;
    transport.uncork();
  };
  return (event, head) => {
    if (transport.destroyed) return;
    if (!corked) {
      corked = true;
      transport.cork();
      process.nextTick(uncork);
    }
    const frame = encodedFrame(event, head);
    transport.write(frame);
    held += frame.length;
    // A catch-up page can hold far more than a tick of live events: handed to the kernel in
    // slices, so that what stays buffered is what the client has not read, not what is corked.
    if (held >= MAX_HELD_BYTES) uncork();
  };
}
