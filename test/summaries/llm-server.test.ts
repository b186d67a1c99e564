import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildUserPrompt, systemPrompt } from '@pressbox/jobs';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import { celticsInput } from './fixtures.ts';

const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    model: 'fake-model',
    messages: [
      { role: 'system', content: systemPrompt },
      { role: 'user', content: buildUserPrompt(celticsInput()) },
    ],
    ...extra,
  });

describe('fake OpenAI-compatible server', () => {
  let llm: FakeLlmServer;
  beforeEach(async () => {
    llm = await startFakeLlmServer();
  });
  afterEach(async () => {
    await llm.close();
  });

  const post = (body: string) =>
    fetch(`${llm.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers in the chat-completions format with a summary grounded on the request articles', async () => {
    const response = await post(chatBody());
    expect(response.status).toBe(200);
    const completion = (await response.json()) as {
      object: string;
      model: string;
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(completion).toMatchObject({ object: 'chat.completion', model: 'fake-model', choices: [{ finish_reason: 'stop' }] });
    expect(completion.usage.prompt_tokens).toBeGreaterThan(0);
    const answer = JSON.parse(completion.choices[0]!.message.content) as { bullets: { citations: string[] }[] };
    expect(answer.bullets.flatMap((bullet) => bullet.citations)).toEqual(['art-injury', 'art-game', 'art-fan']);
    expect(llm.calls).toBe(1);
    expect(llm.requests[0]?.articles.map((article) => article.id)).toEqual(['art-injury', 'art-game', 'art-fan']);
  });

  it('streams server-sent chunks that end with [DONE] and add up to the same answer', async () => {
    const response = await post(chatBody({ stream: true, stream_options: { include_usage: true } }));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text())
      .split('\n\n')
      .filter(Boolean)
      .map((event) => event.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map(
      (event) =>
        JSON.parse(event) as {
          object: string;
          choices: { delta: { content?: string }; finish_reason: string | null }[];
          usage?: unknown;
        },
    );
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);
    expect(chunks.at(-1)?.usage).toBeDefined();
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect((JSON.parse(content) as { bullets: unknown[] }).bullets).toHaveLength(3);
  });

  it('plays queued behaviours once each, then the default', async () => {
    llm.enqueue({ kind: 'status', status: 503, retryAfter: '7' });
    const failed = await post(chatBody());
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect(((await failed.json()) as { error: { type: string } }).error.type).toBe('server_error');
    expect((await post(chatBody())).status).toBe(200);
  });

  it('follows an instruction injected into an article when told to obey it', async () => {
    llm.setDefault({ kind: 'obey-injection' });
    const completion = (await (await post(chatBody())).json()) as { choices: { message: { content: string } }[] };
    expect(completion.choices[0]!.message.content).toContain('art-evil');
  });

  it('refuses requests without the right key when it has one', async () => {
    const keyed = await startFakeLlmServer({ apiKey: 'sk-test' });
    try {
      const send = (authorization?: string) =>
        fetch(`${keyed.url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: chatBody(),
        });
      expect((await send()).status).toBe(401);
      expect((await send('Bearer sk-test')).status).toBe(200);
    } finally {
      await keyed.close();
    }
  });

  it('can be closed while a request hangs', async () => {
    llm.setDefault({ kind: 'hang' });
    const pending = post(chatBody()).catch((error: unknown) => error);
    await llm.waitForCalls(1);
    await llm.close();
    expect(await pending).toBeInstanceOf(Error);
    llm = await startFakeLlmServer();
  });
});
