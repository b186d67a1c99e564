import { Socket } from 'node:net';
import type { StoredEvent } from '@pressbox/jobs';
import type { WebSocket } from 'ws';
import { encodedFrame, encodedTail, type Head } from './live-encoding.ts';

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
 * write (corked until the tick's work is done). `ws` writes its own frames (pings, close)
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
  const uncork = () => {
    corked = false;
    transport.uncork();
  };
  return (event, head) => {
    if (transport.destroyed) return;
    if (!corked) {
      corked = true;
      transport.cork();
      process.nextTick(uncork);
    }
    transport.write(encodedFrame(event, head));
  };
}
