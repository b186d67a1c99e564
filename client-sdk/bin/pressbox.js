#!/usr/bin/env node
// The `pressbox` command. Runs the built CLI; in a clone of the repository that has not been
// built yet, it runs the TypeScript source through tsx instead.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
