import type { PrismaClient, Role, User } from '../generated/prisma/client.ts';

export interface UserIdentity {
  id: string;
  email?: string | null | undefined;
  name?: string | null | undefined;
  imageUrl?: string | null | undefined;
}

/**
 * Creates the user on first sight and returns it; concurrent first requests of one user create
 * exactly one row (INSERT … ON CONFLICT DO NOTHING, then read). Keeps the stored role in step
 * with the configured one.
 */
export async function ensureUser(prisma: PrismaClient, identity: UserIdentity, role: Role): Promise<User> {
  await prisma.$executeRaw`
    INSERT INTO "User" ("id", "email", "name", "imageUrl", "role", "createdAt", "updatedAt")
    VALUES (${identity.id}, ${identity.email ?? null}, ${identity.name ?? null}, ${identity.imageUrl ?? null},
            ${role}::"Role", now(), now())
    ON CONFLICT ("id") DO NOTHING`;
  const user = await prisma.user.findUniqueOrThrow({ where: { id: identity.id } });
  if (user.role === role) return user;
  return prisma.user.update({ where: { id: identity.id }, data: { role } });
}
