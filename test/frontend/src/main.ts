/*
 * The reference frontend: a browser app that knows Pressbox only through `@pressbox/api-types`
 * (types) and `@trpc/client`. Sign in with a token, follow a team, see its dashboard and its news
 * arrive live over a tRPC WebSocket subscription that resumes after any disconnection.
 */
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, TRPCClientError, wsLink } from '@trpc/client';
import type { AppRouter, Dashboard, NewsItem } from '@pressbox/api-types';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing`);
  return found as T;
}

const status = element('status');
const news = element<HTMLOListElement>('news');
const live = element('live');

function say(message: string): void {
  status.textContent = message;
}

function describe(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const failure = error as TRPCClientError<AppRouter>;
    return `${failure.data?.code ?? 'ERROR'}: ${failure.message} (request ${failure.data?.requestId ?? '?'})`;
  }
  return String(error);
}

function connect(api: string, token: string) {
  const ws = createWSClient({
    url: `${api.replace(/^http/, 'ws')}/trpc`,
    connectionParams: () => ({ token }),
    retryDelayMs: (attempt) => Math.min(5_000, 200 * 2 ** attempt),
    onOpen: () => (live.textContent = 'connected'),
    onClose: () => (live.textContent = 'reconnecting'),
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws }),
        false: httpBatchLink({ url: `${api}/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) }),
      }),
    ],
  });
  return trpc;
}

function showDashboard(dashboard: Dashboard, teamName: string): void {
  element('team-name').textContent = teamName;
  const { wins, losses, ties } = dashboard.record;
  element('record').textContent = `Record ${String(wins)}-${String(losses)}-${String(ties)}`;
  element('followers').textContent = `${String(dashboard.followerCount)} following`;
  element('dashboard').hidden = false;
}

function addNews(item: NewsItem, eventId: string): void {
  const entry = document.createElement('li');
  entry.dataset.eventId = eventId;
  entry.textContent = item.title;
  entry.title = item.source.name;
  news.prepend(entry);
}

let trpc: ReturnType<typeof connect> | undefined;

element<HTMLFormElement>('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.currentTarget as HTMLFormElement);
  trpc = connect(String(form.get('api')).replace(/\/+$/, ''), String(form.get('token')));
  trpc.me.get
    .query()
    .then((me) => {
      say(`Signed in as ${me.id}`);
      element('follow').hidden = false;
    })
    .catch((error: unknown) => {
      say(describe(error));
    });
});

element<HTMLFormElement>('follow').addEventListener('submit', (event) => {
  event.preventDefault();
  const client = trpc;
  if (!client) return;
  const teamId = String(new FormData(event.currentTarget as HTMLFormElement).get('teamId'));
  void (async () => {
    try {
      await client.me.follow.mutate({ teamId });
      const [team, dashboard] = await Promise.all([client.teams.get.query({ teamId }), client.teams.dashboard.query({ teamId })]);
      showDashboard(dashboard, team.name);
      say(`Following ${team.name}`);
      client.teams.onNews.subscribe(
        { teamId },
        {
          onStarted: () => (live.textContent = 'live'),
          onData: ({ id, data }) => {
            if (data.type === 'news.created') addNews(data.data, id);
          },
          onError: (error) => {
            say(describe(error));
          },
        },
      );
    } catch (error) {
      say(describe(error));
    }
  })();
});

const apiInput = document.querySelector<HTMLInputElement>('#sign-in [name=api]');
if (apiInput) apiInput.value = new URLSearchParams(location.search).get('api') ?? location.origin;
