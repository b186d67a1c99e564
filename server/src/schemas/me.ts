import type { User } from '@pressbox/db';
import { z } from 'zod';
import { isoDateTime } from './common.ts';
import { roleSchema } from './enums.ts';

export const meSchema = z
  .object({
    id: z.string().meta({ examples: ['user_2abc'] }),
    email: z.string().nullable(),
    name: z.string().nullable(),
    imageUrl: z.string().nullable(),
    role: roleSchema,
    createdAt: isoDateTime,
  })
  .meta({ id: 'Me' });

export type MeDto = z.infer<typeof meSchema>;

export function toMeDto(user: User): MeDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    imageUrl: user.imageUrl,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}

export const followSchema = z
  .object({
    teamId: z.string(),
    following: z.boolean(),
    changed: z.boolean().meta({ description: 'False when the request changed nothing (it is idempotent)' }),
  })
  .meta({ id: 'Follow' });
