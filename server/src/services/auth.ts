import type { Clock } from '@pressbox/db';
import { loadOrCreateDevKey, type DevSigningKey } from '../auth/dev-keys.ts';
import { pemKeySource, remoteJwksKeySource, staticKeySource } from '../auth/keys.ts';
import { createSessionVerifier, type SessionVerifier } from '../auth/verifier.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

/**
 * The session verifier of the configured auth mode: the local dev key (created in the data dir
 * on first start, its JWKS served) or Clerk's keys, from `CLERK_JWT_KEY` or Clerk's JWKS.
 */
export async function createAuth(
  config: Config,
  log: Logger,
  clock: Clock,
): Promise<{ devKey: DevSigningKey | undefined; verifySession: SessionVerifier }> {
  if (config.auth.mode === 'dev') {
    const devKey = await loadOrCreateDevKey(config.dataDir);
    const verifySession = createSessionVerifier({
      keys: staticKeySource(devKey.publicJwks),
      issuer: config.auth.issuer,
      authorizedParties: [],
      clock,
    });
    return { devKey, verifySession };
  }
  const auth = config.auth;
  const keys = auth.jwtKey
    ? pemKeySource(auth.jwtKey)
    : remoteJwksKeySource({
        url: `${auth.apiUrl}/v1/jwks`,
        secretKey: auth.secretKey,
        clock,
        onFetch: (outcome) => {
          log.info({ outcome }, 'clerk jwks fetched');
        },
      });
  return {
    devKey: undefined,
    verifySession: createSessionVerifier({ keys, issuer: auth.issuer, authorizedParties: auth.authorizedParties, clock }),
  };
}
