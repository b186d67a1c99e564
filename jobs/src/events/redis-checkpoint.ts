import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RelayCheckpoint } from './relay.ts';
import type { EventStore } from './store.ts';

export interface RedisCheckpointOptions {
  redis: Redis;
  /** Deployment prefix: one relay lease and cursor per deployment. */
  prefix: string;
  store: Pick<EventStore, 'relayStart'>;
  /** How long a lease outlives its holder's last sign of life (default 5000 ms). */
  leaseMs?: number | undefined;
}

/** Takes the lease (or keeps it, when already ours) and returns the cursor; false while another holds it. */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) or redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  local cursor = redis.call('GET', KEYS[2])
  if not cursor then return '' end
  return cursor
end
return false`;

/** Moves the cursor forward (never back) while the lease is ours. */
const ADVANCE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local current = redis.call('GET', KEYS[2])
if not current or tonumber(current) < tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
return 1`;

/** Gives the lease back unless rows were flagged meanwhile (then it is kept for one more pass). */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 1 end
if redis.call('DEL', KEYS[3]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/** The Redis keys of a deployment's relay. */
export function relayKeys(prefix: string): { lease: string; cursor: string; flag: string } {
  return { lease: `${prefix}:events:relay:lease`, cursor: `${prefix}:events:relay:cursor`, flag: `${prefix}:events:relay:flag` };
}

/**
 * The checkpoint shared by every process of a deployment: a lease that one relay holds at a time
 * (renewed with every page it publishes, and free again `leaseMs` after its holder died), the
 * cursor, and a flag that a process which could not take the lease sets so that the holder reads
 * once more before letting go. Releasing checks the flag atomically, so rows committed during a
 * pass are published by that pass's holder or by the flagging process itself.
 */
export function redisCheckpoint(options: RedisCheckpointOptions): RelayCheckpoint {
  const { redis } = options;
  const keys = relayKeys(options.prefix);
  const owner = randomUUID();
  const leaseMs = String(options.leaseMs ?? 5000);

  /** A deployment's first relay starts near the newest row: older events had no live subscriber to reach. */
  async function startCursor(): Promise<bigint> {
    await redis.set(keys.cursor, (await options.store.relayStart()).toString(), 'NX');
    return BigInt((await redis.get(keys.cursor)) ?? '0');
  }

  return {
    async acquire() {
      const cursor = (await redis.eval(ACQUIRE, 2, keys.lease, keys.cursor, owner, leaseMs)) as string | null;
      if (cursor === null) return undefined;
      return cursor === '' ? startCursor() : BigInt(cursor);
    },
    async advance(id) {
      return (await redis.eval(ADVANCE, 2, keys.lease, keys.cursor, owner, leaseMs, id.toString())) === 1;
    },
    async release() {
      return (await redis.eval(RELEASE, 3, keys.lease, keys.cursor, keys.flag, owner)) === 1;
    },
    async flag() {
      await redis.set(keys.flag, '1', 'PX', Number(leaseMs) * 2);
    },
  };
}
