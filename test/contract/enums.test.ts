import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as db from '@pressbox/db';
import { apiEnums, appRouter, buildOpenApiDocument } from '@pressbox/server';
import { describe, expect, it } from 'vitest';

const schemaFile = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));

/** The enums of schema.prisma, read from the source of truth itself. */
async function prismaEnums(): Promise<Record<string, string[]>> {
  const text = await readFile(schemaFile, 'utf8');
  return Object.fromEntries(
    [...text.matchAll(/^enum (\w+) \{([^}]*)\}/gm)].map(([, name, body]) => [
      name ?? '',
      (body ?? '')
        .split('\n')
        .map((line) => line.replace(/\/\/.*$/, '').trim())
        .filter((line) => line.length > 0),
    ]),
  );
}

describe('enums', () => {
  const document = buildOpenApiDocument(appRouter, { version: '0.1.0', baseUrl: '/api/v1' });
  const schemas = (document.components?.schemas ?? {}) as Record<string, { enum?: string[] }>;

  it('every Prisma enum has a Zod enum with the same values', async () => {
    const prisma = await prismaEnums();
    expect(Object.keys(prisma).sort()).toEqual(Object.keys(apiEnums).sort());
    for (const [name, values] of Object.entries(prisma)) {
      expect(apiEnums[name as keyof typeof apiEnums].options, name).toEqual(values);
      expect(Object.values((db as unknown as Record<string, Record<string, string>>)[name] ?? {}), name).toEqual(values);
    }
  });

  it('openapi.json documents each enum it uses with the same values', async () => {
    const prisma = await prismaEnums();
    const documented = Object.entries(prisma).filter(([name]) => name in schemas);
    expect(documented.length).toBeGreaterThan(3);
    for (const [name, values] of documented) expect(schemas[name]?.enum, name).toEqual(values);
  });
});
