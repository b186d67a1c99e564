import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { appRouter, buildOpenApiDocument } from '@pressbox/server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

type Document = ReturnType<typeof buildOpenApiDocument>;
interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string }>;
}

describe('openapi.json', () => {
  const document: Document = buildOpenApiDocument(appRouter, { version: '0.1.0', baseUrl: '/api/v1' });
  const json = `${JSON.stringify(document, null, 2)}\n`;

  it('is the document checked in for the client SDK (run `npm run build` after changing a procedure)', async () => {
    const version = (JSON.parse(await readFile(join(root, 'server/package.json'), 'utf8')) as { version: string }).version;
    const current = `${JSON.stringify(buildOpenApiDocument(appRouter, { version, baseUrl: '/api/v1' }), null, 2)}\n`;
    expect(await readFile(join(root, 'client-sdk/openapi.json'), 'utf8')).toBe(current);
  });

  it('reads cleanly in /docs: no empty tag, every operation described, no Zod noise in the schemas', () => {
    const operations = Object.values(document.paths ?? {}).flatMap((item) =>
      Object.values(item as Record<string, { tags?: string[]; description?: string; operationId: string }>),
    );
    const used = new Set(operations.flatMap((operation) => operation.tags ?? []));
    expect((document.tags ?? []).map((tag) => tag.name).filter((name) => !used.has(name))).toEqual([]);
    expect(operations.filter((operation) => !operation.description).map((operation) => operation.operationId)).toEqual([]);
    expect(json).not.toContain(String(Number.MAX_SAFE_INTEGER));
    const dateTimes = json.split('"format": "date-time"').length - 1;
    expect(dateTimes).toBeGreaterThan(5);
    expect(json).not.toMatch(/"format": "date-time",\s*"pattern"/);
  });

  it('validates as OpenAPI 3.1', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('lints clean with Redocly’s recommended rules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pressbox-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, json);
      const result = await run(
        process.execPath,
        [join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json'],
        {
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
        },
      ).catch((error: unknown) => error as { stdout: string });
      const report = JSON.parse(result.stdout) as {
        totals: { errors: number; warnings: number };
        problems: { message: string; ruleId: string }[];
      };
      expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('documents every error response with the one Error body', () => {
    for (const item of Object.values(document.paths ?? {})) {
      for (const operation of Object.values(item as Record<string, Operation>)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400) expect(response.$ref, `${operation.operationId} ${status}`).toMatch(/^#\/components\/responses\/\w+$/);
        }
        expect(Object.keys(operation.responses), operation.operationId).toEqual(expect.arrayContaining(['401', '429', '500']));
      }
    }
  });

  describe('error bodies the server really sends', () => {
    let app: TestApp;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat('date-time', true);
    ajv.addSchema({ ...structuredClone(document), $id: 'openapi.json' });
    const validateError = ajv.getSchema('openapi.json#/components/schemas/Error');

    beforeAll(async () => {
      app = await startTestApp({ env: { RATE_LIMIT_USER_PER_MIN: '30' } });
    });
    afterAll(async () => {
      await app.close();
    });

    const cases: [number, () => Promise<Response>][] = [
      [400, () => app.fetch('/api/v1/teams?limit=0', { as: 'user_contract' })],
      [401, () => app.fetch('/api/v1/teams')],
      [404, () => app.fetch('/api/v1/teams/nba-zzz', { as: 'user_contract' })],
      [404, () => app.fetch('/api/v1/not-a-route', { as: 'user_contract' })],
      [
        409,
        () =>
          app.fetch('/api/v1/me/preferences', {
            method: 'PATCH',
            as: 'user_contract',
            headers: { 'content-type': 'application/json' },
            body: '{"version":99}',
          }),
      ],
      [
        413,
        () =>
          app.fetch('/api/v1/me/preferences', {
            method: 'PATCH',
            as: 'user_contract',
            headers: { 'content-type': 'application/json' },
            body: `{"locale":"${'x'.repeat(1_100_000)}"}`,
          }),
      ],
      [
        415,
        () =>
          app.fetch('/api/v1/me/preferences', {
            method: 'PATCH',
            as: 'user_contract',
            headers: { 'content-type': 'text/csv' },
            body: 'a,b',
          }),
      ],
    ];

    it.each(cases)('a %i body matches the documented Error schema', async (status, request) => {
      const response = await request();
      expect(response.status).toBe(status);
      const body: unknown = await response.json();
      expect(validateError?.(body), JSON.stringify(validateError?.errors)).toBe(true);
      expect(body).toMatchObject({ requestId: response.headers.get('x-request-id') });
    });

    it('a 429 body matches the documented Error schema and carries Retry-After', async () => {
      let response: Response | undefined;
      for (let i = 0; i < 40 && response?.status !== 429; i++) response = await app.fetch('/api/v1/me', { as: 'user_contract_429' });
      expect(response?.status).toBe(429);
      expect(validateError?.(await response?.json())).toBe(true);
      expect(Number(response?.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('a 500 body matches the documented Error schema and says nothing of the cause', async () => {
      const broken = await startTestApp();
      try {
        await broken.pglite?.close();
        const response = await broken.fetch('/api/v1/me', { as: 'user_contract_500' });
        expect(response.status).toBe(500);
        const body = (await response.json()) as { message: string };
        expect(validateError?.(body)).toBe(true);
        expect(body.message).toBe('Internal server error');
      } finally {
        await broken.close().catch(() => undefined);
      }
    });
  });
});
