import { openDatabase, upsertReferenceTeams, seedDemoData, type Database, type PrismaClient } from '@pressbox/db';
import { createRedis, waitForRedis, type Redis } from '@pressbox/jobs';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { loadOrCreateDevKey, type DevSigningKey } from './auth/dev-keys.ts';
import { pemKeySource, remoteJwksKeySource, staticKeySource } from './auth/keys.ts';
import { createSessionVerifier, type SessionVerifier } from './auth/verifier.ts';
import { createUserDirectory, type UserDirectory } from './domain/users.ts';
import type { RateLimiter } from './infra/rate-limit/interface.ts';
import { createMemoryRateLimiter } from './infra/rate-limit/memory.ts';
import { createRedisRateLimiter } from './infra/rate-limit/redis.ts';
import type { PGlite } from '@electric-sql/pglite';

/** Everything outside the process that Pressbox talks to, chosen once at start-up. */
export interface Services {
  config: Config;
  log: Logger;
  db: Database;
  prisma: PrismaClient;
  redis: Redis | undefined;
  rateLimiter: RateLimiter;
  verifySession: SessionVerifier;
  /** The local signing key in dev auth mode (its JWKS is served); undefined with Clerk. */
  devKey: DevSigningKey | undefined;
  users: UserDirectory;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  /** Adopt an already open PGlite (tests load one migrated snapshot per file). */
  pglite?: PGlite;
}

/**
 * Opens the database (migrating and seeding it), Redis when configured, and builds the auth
 * verifier and rate limiter for the chosen mode. Closes what it opened if a later step fails.
 */
export async function createServices(config: Config, log: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const opened: (() => Promise<void>)[] = [];
  try {
    const started = performance.now();
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      pglite: overrides.pglite,
      migrate: config.migrate,
    });
    opened.push(() => db.close());
    log.info({ database: db.kind, applied: db.migrations.applied, ms: Math.round(performance.now() - started) }, 'database ready');
    const teams = await upsertReferenceTeams(db.prisma);
    if (teams.inserted + teams.updated > 0) log.info(teams, 'reference teams upserted');
    if (config.seed === 'demo') {
      const seeded = await seedDemoData(db.prisma);
      if (seeded) log.info(seeded, 'demo data seeded');
    }

    let redis: Redis | undefined;
    if (config.redisUrl) {
      const connection = createRedis(config.redisUrl, { name: 'api' });
      redis = connection;
      opened.push(async () => {
        await connection.quit().catch(() => {
          connection.disconnect();
        });
      });
      await waitForRedis(connection);
    }
    const rateLimiter = redis ? createRedisRateLimiter(redis, config.redisPrefix) : createMemoryRateLimiter();
    opened.push(() => rateLimiter.close());

    let devKey: DevSigningKey | undefined;
    let verifySession: SessionVerifier;
    if (config.auth.mode === 'dev') {
      devKey = await loadOrCreateDevKey(config.dataDir);
      verifySession = createSessionVerifier({
        keys: staticKeySource(devKey.publicJwks),
        issuer: config.auth.issuer,
        authorizedParties: [],
      });
    } else {
      const auth = config.auth;
      verifySession = createSessionVerifier({
        keys: auth.jwtKey
          ? pemKeySource(auth.jwtKey)
          : remoteJwksKeySource({
              url: `${auth.apiUrl}/v1/jwks`,
              secretKey: auth.secretKey,
              onFetch: (outcome) => {
                log.info({ outcome }, 'clerk jwks fetched');
              },
            }),
        issuer: auth.issuer,
        authorizedParties: auth.authorizedParties,
      });
    }

    const users = createUserDirectory(db.prisma, config.adminUserIds);
    return {
      config,
      log,
      db,
      prisma: db.prisma,
      redis,
      rateLimiter,
      verifySession,
      devKey,
      users,
      close: async () => {
        for (const close of opened.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
