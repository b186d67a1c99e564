import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * How the fake answers one request. `grounded` (the default) is what a well-behaved model says:
 * valid JSON whose bullets cite ids read from the request's <articles> block.
 */
export type LlmBehaviour = (
  | { kind: 'grounded' }
  /** An OpenAI-style error body with this status, and a Retry-After header when given. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Cuts the connection without an answer, as a crashing server or a network fault would. */
  | { kind: 'drop' }
  /** HTTP 200 whose body is not JSON at all. */
  | { kind: 'malformed-body' }
  /** A normal completion whose message content is not JSON. */
  | { kind: 'malformed-content' }
  /** A completion whose content is JSON of the wrong shape. */
  | { kind: 'schema-violation' }
  /** A grounded answer plus a bullet citing an id that was not in the request. */
  | { kind: 'unknown-citation'; id?: string }
  /** A completion with empty content. */
  | { kind: 'empty' }
  /**
   * A model that follows instructions found in article text: an article saying "cite article X"
   * makes it cite X (and only X), whatever the system prompt said.
   */
  | { kind: 'obey-injection' }
  /** Exactly this message content. */
  | { kind: 'content'; content: string }
) & { latencyMs?: number };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: ChatRequest;
  /** The articles the fake read out of the request's <articles> block. */
  articles: GroundingArticle[];
}

export interface GroundingArticle {
  id: string;
  title: string;
  summary: string;
}

export interface FakeLlmServer {
  /** Base URL including `/v1`, as `LLM_BASE_URL` expects. */
  url: string;
  /** Chat-completion requests received so far. */
  readonly calls: number;
  readonly requests: readonly RecordedRequest[];
  /** Behaviour for every request once the queue is empty. */
  setDefault(behaviour: LlmBehaviour): void;
  /** Behaviours for the next requests, one each, in order. */
  enqueue(...behaviours: LlmBehaviour[]): void;
  /** Resolves once `calls` reaches `count` (polling), or rejects after `timeoutMs`. */
  waitForCalls(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeLlmOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
}

const messageSchema = z.object({
  role: z.string(),
  content: z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() })), z.null()]).optional(),
});

const chatRequestSchema = z.looseObject({
  model: z.string(),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
  response_format: z.unknown().optional(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;

const articleLineSchema = z.looseObject({ id: z.string(), title: z.string().default(''), summary: z.string().default('') });

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 (port 0) for tests: JSON answers, SSE
 * streams (`stream: true`, ending with `data: [DONE]`), and scripted failures. It counts calls and
 * records every request body so tests can assert on what was sent.
 *
 * @example
 * const llm = await startFakeLlmServer();
 * llm.enqueue({ kind: 'status', status: 500 });   // first call fails, the next ones are grounded
 * const { summarizer } = createSummarizer({ provider: 'openai', baseUrl: llm.url, model: 'fake', timeoutMs: 1_000 });
 */
export async function startFakeLlmServer(options: FakeLlmOptions = {}): Promise<FakeLlmServer> {
  const queue: LlmBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: LlmBehaviour = { kind: 'grounded' };
  let calls = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendError(response, 500, 'fake server failure');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method !== 'POST' || path !== '/v1/chat/completions') {
      sendError(response, 404, `No route for ${request.method ?? '?'} ${path}`);
      return;
    }
    calls++;
    const raw = await readBody(request);
    const parsed = chatRequestSchema.safeParse(safeJson(raw));
    if (!parsed.success) {
      sendError(response, 400, 'Request body is not a chat completion request');
      return;
    }
    const articles = groundingArticles(parsed.data);
    requests.push({ path, headers: request.headers, body: parsed.data, articles });

    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendError(response, 401, 'Incorrect API key provided');
      return;
    }

    const behaviour = queue.shift() ?? fallback;
    if (behaviour.latencyMs !== undefined) {
      await delay(behaviour.latencyMs);
      if (response.destroyed || request.socket.destroyed) return;
    }

    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'drop':
        request.socket.destroy();
        return;
      case 'status':
        sendError(response, behaviour.status, `Simulated ${String(behaviour.status)}`, behaviour.retryAfter);
        return;
      case 'malformed-body':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "chatcmpl-broken", "choices": [');
        return;
      default:
        sendCompletion(response, parsed.data, contentFor(behaviour, articles), raw.length);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${String(port)}/v1`,
    get calls() {
      return calls;
    },
    requests,
    setDefault(behaviour) {
      fallback = behaviour;
    },
    enqueue(...behaviours) {
      queue.push(...behaviours);
    },
    async waitForCalls(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (calls < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${String(count)} calls to the fake LLM, saw ${String(calls)}`);
        await delay(5);
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

/** The message content a behaviour produces for a request grounded on `articles`. */
function contentFor(behaviour: LlmBehaviour, articles: readonly GroundingArticle[]): string {
  switch (behaviour.kind) {
    case 'malformed-content':
      return 'Here is your summary: the Celtics won! {"text": ';
    case 'schema-violation':
      return JSON.stringify({ summary: 'A summary in the wrong field', points: ['no citations'] });
    case 'unknown-citation': {
      const answer = groundedAnswer(articles);
      answer.bullets.push({ text: 'A claim from nowhere.', citations: [behaviour.id ?? 'not-an-input-article'] });
      return JSON.stringify(answer);
    }
    case 'empty':
      return '';
    case 'obey-injection': {
      const target = articles
        .map((article) => /cite (?:article )?["'`]?([\w:.-]+)/i.exec(`${article.title} ${article.summary}`)?.[1])
        .find(Boolean);
      if (target === undefined) return JSON.stringify(groundedAnswer(articles));
      return JSON.stringify({ text: 'As instructed by the article.', bullets: [{ text: 'Obeyed the article.', citations: [target] }] });
    }
    case 'content':
      return behaviour.content;
    default:
      return JSON.stringify(groundedAnswer(articles));
  }
}

function groundedAnswer(articles: readonly GroundingArticle[]): { text: string; bullets: { text: string; citations: string[] }[] } {
  const first = articles[0];
  return {
    text: first ? `The latest: ${first.title}.` : 'No news.',
    bullets: articles.slice(0, 5).map((article) => ({ text: `${article.title}.`, citations: [article.id] })),
  };
}

/** The articles inside <articles>…</articles> of the last user message, one JSON object per line. */
function groundingArticles(body: ChatRequest): GroundingArticle[] {
  const user = body.messages.filter((message) => message.role === 'user').at(-1);
  const content = typeof user?.content === 'string' ? user.content : (user?.content ?? []).map((part) => part.text ?? '').join('');
  const match = /<articles>\n?([\s\S]*?)\n?<\/articles>/.exec(content);
  if (!match?.[1]) return [];
  return match[1]
    .split('\n')
    .map((line) => articleLineSchema.safeParse(safeJson(line)))
    .flatMap((result) => (result.success ? [{ id: result.data.id, title: result.data.title, summary: result.data.summary }] : []));
}

function sendCompletion(response: ServerResponse, body: ChatRequest, content: string, promptChars: number): void {
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1_000);
  const usage = { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: 0 };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;

  if (!body.stream) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
        usage,
      }),
    );
    return;
  }

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices, ...extra })}\n\n`;
  response.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  for (let start = 0; start < content.length; start += 16) {
    response.write(chunk([{ index: 0, delta: { content: content.slice(start, start + 16) }, finish_reason: null }]));
  }
  response.write(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
  if (body.stream_options?.include_usage) response.write(chunk([], { usage }));
  response.end('data: [DONE]\n\n');
}

function sendError(response: ServerResponse, status: number, message: string, retryAfter?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  response.writeHead(status, headers).end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
