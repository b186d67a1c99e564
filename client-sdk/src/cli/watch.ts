import WebSocket from 'ws';
import { PressboxError } from '../index.ts';
import type { CommandContext } from './context.ts';
import { progress } from './output.ts';

interface TrpcMessage {
  id?: number | string | null;
  method?: string;
  result?: { type?: string; id?: string; data?: unknown };
  error?: { message?: string; data?: { code?: string; requestId?: string; httpStatus?: number } };
}

interface NewsEvent {
  id: string;
  type: string;
  at: string;
  data: { title?: string; url?: string | null; source?: { name?: string } };
}

function line(event: NewsEvent, json: boolean): string {
  if (json) return JSON.stringify(event);
  const { title, url, source } = event.data;
  return `${event.at}  ${title ?? ''}${source?.name ? ` (${source.name})` : ''}${url ? `  ${url}` : ''}`;
}

/**
 * Streams `teams.onNews` over tRPC's WebSocket protocol: the token goes in `connectionParams`,
 * and every reconnection (network loss, a server restart, the server's reconnect notice, an
 * expired token) resumes after the last event printed, so nothing is missed or repeated.
 * Resolves when the process is interrupted; rejects on an error the server will not recover from.
 */
export function watch(context: CommandContext, teamId: string, since: string | undefined): Promise<undefined> {
  const url = `${context.baseUrl.replace(/^http/, 'ws')}/trpc?connectionParams=1`;
  let lastEventId = since;
  let attempt = 0;
  let stopped = false;
  let socket: WebSocket | undefined;

  return new Promise((resolve, reject) => {
    const stop = () => {
      stopped = true;
      socket?.close(1000);
      resolve(undefined);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    const connect = () => {
      const ws = new WebSocket(url);
      socket = ws;
      ws.on('open', () => {
        ws.send(JSON.stringify({ method: 'connectionParams', data: { token: context.token ?? '' } }));
        ws.send(
          JSON.stringify({
            id: 1,
            method: 'subscription',
            params: { path: 'teams.onNews', input: { teamId, lastEventId: lastEventId ?? null } },
          }),
        );
      });
      ws.on('message', (raw: Buffer) => {
        let message: TrpcMessage;
        try {
          message = JSON.parse(raw.toString('utf8')) as TrpcMessage;
        } catch {
          return;
        }
        if (message.method === 'reconnect') {
          ws.close(1000);
          return;
        }
        if (message.error) {
          const data = message.error.data ?? {};
          stopped = true;
          ws.close(1000);
          const code = data.code as ConstructorParameters<typeof PressboxError>[1]['code'];
          reject(
            new PressboxError(data.httpStatus ?? 0, {
              code,
              message: message.error.message ?? 'subscription failed',
              requestId: data.requestId,
            }),
          );
          return;
        }
        if (message.result?.type === 'started') {
          attempt = 0;
          progress(`watching ${teamId}${lastEventId ? ` after event ${lastEventId}` : ''}`);
        }
        if (message.result?.type === 'data' && message.result.data) {
          // A tracked event: `{ id, data: event }`.
          const tracked = message.result.data as { id: string; data: NewsEvent };
          const event = tracked.data;
          lastEventId = tracked.id;
          process.stdout.write(`${line(event, context.json)}\n`);
        }
      });
      ws.on('error', () => undefined);
      ws.on('close', () => {
        if (stopped) return;
        // Jitter spreads the reconnections of many watchers after a restart; not a secret.
        // eslint-disable-next-line @microsoft/sdl/no-insecure-random
        const delay = Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
        attempt += 1;
        progress(`connection lost; reconnecting in ${String(Math.round(delay))} ms`);
        setTimeout(connect, delay);
      });
    };
    connect();
  });
}
