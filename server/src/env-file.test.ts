import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentWithFile } from './env-file.ts';

describe('environmentWithFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pressbox-env-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads .env in the working directory, and the environment wins over the file', async () => {
    await writeFile(join(dir, '.env'), '# comment\nPORT=4100\nLOG_LEVEL="debug"\nRATE_LIMIT_USER_PER_MIN=5\n');
    expect(environmentWithFile({ PORT: '4200' }, dir)).toEqual({ PORT: '4200', LOG_LEVEL: 'debug', RATE_LIMIT_USER_PER_MIN: '5' });
  });

  it('is the environment alone without a .env file', () => {
    expect(environmentWithFile({ PORT: '4200' }, dir)).toEqual({ PORT: '4200' });
  });
});
