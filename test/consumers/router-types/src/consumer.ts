/*
 * A frontend's use of Pressbox over tRPC, written as a project outside the repository writes it:
 * it depends on `@pressbox/api-types` and `@trpc/client` only, and compiles under `strict`
 * without `skipLibCheck`. The `@ts-expect-error` lines are part of the check: each must stay an
 * error, or the build fails.
 */
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, TRPCClientError, wsLink } from '@trpc/client';
import type { AppRouter, ErrorData, League, NewsItem, RouterOutputs } from '@pressbox/api-types';

export interface ConsumerOptions {
  /** `http://host:port` of Pressbox. */
  url: string;
  /** Where the WebSocket connects, asked before every attempt (defaults to `url`). */
  socketUrl?: () => string;
  token: () => string;
  WebSocket?: typeof WebSocket;
  retryDelayMs?: number;
}

export function isPressboxError(cause: unknown): cause is TRPCClientError<AppRouter> {
  return cause instanceof TRPCClientError;
}

/** The error fields every Pressbox failure carries, typed. */
export function errorData(cause: unknown): ErrorData | undefined {
  return isPressboxError(cause) ? (cause.data ?? undefined) : undefined;
}

export function connect(options: ConsumerOptions) {
  const ws = createWSClient({
    url: () => `${(options.socketUrl?.() ?? options.url).replace(/^http/, 'ws')}/trpc`,
    connectionParams: () => ({ token: options.token() }),
    retryDelayMs: () => options.retryDelayMs ?? 500,
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws }),
        false: httpBatchLink({ url: `${options.url}/trpc`, headers: () => ({ authorization: `Bearer ${options.token()}` }) }),
      }),
    ],
  });

  async function me(): Promise<RouterOutputs['me']['get']> {
    return trpc.me.get.query();
  }

  async function teams(league?: League) {
    const page = league === undefined ? await trpc.teams.list.query() : await trpc.teams.list.query({ league });
    return page.items.map((team) => ({ id: team.id, name: team.name, league: team.league }));
  }

  async function follow(teamId: string): Promise<boolean> {
    const result = await trpc.me.follow.mutate({ teamId });
    return result.following;
  }

  function onNews(
    teamId: string,
    handlers: { onStarted(): void; onNews(item: NewsItem, eventId: string): void; onError(data: ErrorData | undefined): void },
  ) {
    return trpc.teams.onNews.subscribe(
      { teamId },
      {
        onStarted: () => {
          handlers.onStarted();
        },
        onData: (event) => {
          if (event.data.type === 'news.created') handlers.onNews(event.data.data, event.id);
        },
        onError: (error) => {
          handlers.onError(error.data ?? undefined);
        },
      },
    );
  }

  return { me, teams, follow, onNews, team: (teamId: string) => trpc.teams.get.query({ teamId }), close: () => ws.close() };
}

export function typeChecks(trpc: ReturnType<typeof createTRPCClient<AppRouter>>): void {
  // @ts-expect-error a team needs its id
  void trpc.teams.get.query({});
  // @ts-expect-error leagues are an enum
  void trpc.teams.list.query({ league: 'CURLING' });
  // @ts-expect-error follow is a mutation
  void trpc.me.follow.query({ teamId: 'nba-bos' });
  // @ts-expect-error no such procedure
  void trpc.teams.remove.mutate({ teamId: 'nba-bos' });
  const code: ErrorData['code'] = 'NOT_FOUND';
  // @ts-expect-error error codes are the documented ones
  const wrong: ErrorData['code'] = 'TEAPOT';
  void [code, wrong];
}
