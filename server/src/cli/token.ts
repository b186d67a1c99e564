import { loadConfig } from '../config.ts';
import { environmentWithFile } from '../env-file.ts';
import { loadOrCreateDevKey, mintDevToken } from '../auth/dev-keys.ts';

/**
 * `npm run -s token -- <userId> [--ttl=<seconds>]`: prints a dev-mode session token and nothing
 * else, so `TOKEN=$(npm run -s token -- user_1)` works.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const userId = args.find((arg) => !arg.startsWith('--')) ?? 'user_demo';
  const ttlArg = args.find((arg) => arg.startsWith('--ttl='));
  const ttlSeconds = ttlArg ? Number(ttlArg.slice('--ttl='.length)) : 3600;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(userId)) fail(`user id must be 1-128 letters, digits, _ or -`);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 30 * 86_400) fail('--ttl must be 1..2592000 seconds');
  const config = loadConfig(environmentWithFile(process.env));
  if (config.auth.mode !== 'dev') fail('tokens can only be minted in dev auth mode; with Clerk, sign in through your frontend');
  const key = await loadOrCreateDevKey(config.dataDir);
  process.stdout.write(`${mintDevToken(key, { userId, issuer: config.auth.issuer, ttlSeconds })}\n`);
}

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n`);
  process.exit(2);
}

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
