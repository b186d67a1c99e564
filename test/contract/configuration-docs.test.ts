import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { configVariableNames } from '@pressbox/server';
import { describe, expect, it } from 'vitest';

const readRepoFile = (path: string) => readFile(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

/** The configuration table of the README: its first column, split into variable names. */
function readmeVariables(readme: string): Set<string> {
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Architecture'));
  const names = [...section.matchAll(/^\| (.+?) \|/gm)].flatMap(([, cell]) => [...(cell ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)]);
  return new Set(names.map(([, name]) => name ?? ''));
}

/** Variables `.env.example` mentions, set or commented out (`# NAME=`). */
function exampleVariables(example: string): Set<string> {
  return new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map(([, name]) => name ?? ''));
}

describe('configuration documentation', () => {
  it('lists every variable the server reads in the README table and in .env.example, and nothing else', async () => {
    const [readme, example] = await Promise.all([readRepoFile('README.md'), readRepoFile('.env.example')]);
    const read = [...configVariableNames].sort();

    expect([...readmeVariables(readme)].sort()).toEqual(read);
    expect(read.filter((name) => !exampleVariables(example).has(name))).toEqual([]);
  });
});
