import { ensureUser, type PrismaClient, type Role } from '@pressbox/db';
import type { SessionClaims } from '../auth/verifier.ts';

export interface CurrentUser {
  id: string;
  role: Role;
}

export interface UserDirectory {
  /** The signed-in caller, created on first sight. Cached briefly so a request costs no query. */
  ensure(session: SessionClaims): Promise<CurrentUser>;
  /** Drops a cached user (after a webhook changed or deleted it). */
  forget(userId: string): void;
}

export function createUserDirectory(
  prisma: PrismaClient,
  adminUserIds: ReadonlySet<string>,
  ttlMs = 30_000,
  now: () => number = Date.now,
): UserDirectory {
  const cache = new Map<string, { user: CurrentUser; expiresAt: number }>();
  const pending = new Map<string, Promise<CurrentUser>>();
  return {
    async ensure(session) {
      const cached = cache.get(session.userId);
      if (cached && cached.expiresAt > now()) return cached.user;
      let load = pending.get(session.userId);
      if (!load) {
        const role: Role = adminUserIds.has(session.userId) ? 'ADMIN' : 'MEMBER';
        load = ensureUser(prisma, { id: session.userId }, role)
          .then((user) => {
            const current = { id: user.id, role: user.role };
            if (cache.size > 10_000) cache.clear();
            cache.set(user.id, { user: current, expiresAt: now() + ttlMs });
            return current;
          })
          .finally(() => pending.delete(session.userId));
        pending.set(session.userId, load);
      }
      return load;
    },
    forget(userId) {
      cache.delete(userId);
    },
  };
}
