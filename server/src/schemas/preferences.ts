import type { PreferencesRecord } from '@pressbox/db';
import { z } from 'zod';
import { isoDateTime } from './common.ts';
import { digestSchema, summaryLengthSchema } from './enums.ts';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

export const timezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^(UTC|[A-Za-z]+\/[A-Za-z0-9_+/-]+)$/, 'expected an IANA time zone such as Europe/London')
  .refine(isTimeZone, 'unknown IANA time zone')
  .meta({ description: 'IANA time zone', examples: ['America/New_York'] });

export const localeSchema = z
  .string()
  .min(2)
  .max(35)
  .refine(isLocale, 'expected a BCP 47 locale such as en-US')
  .meta({ description: 'BCP 47 locale', examples: ['en-US'] });

export const teamIdList = z.array(z.string().min(1).max(64)).max(100);

export const preferencesSchema = z
  .object({
    summaryLength: summaryLengthSchema,
    digest: digestSchema,
    timezone: z.string(),
    locale: z.string(),
    followedTeamIds: z.array(z.string()).meta({ description: 'Teams you follow, oldest first' }),
    version: z.number().int().meta({ description: 'Send it back with PUT/PATCH; a stale version gets 409' }),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Preferences' });

export type PreferencesDto = z.infer<typeof preferencesSchema>;

export function toPreferencesDto(record: PreferencesRecord): PreferencesDto {
  return { ...record, updatedAt: record.updatedAt.toISOString() };
}

/** Versions are stored as Postgres `integer`: none is ever larger. */
const MAX_VERSION = 2_147_483_647;

export const versionSchema = z.number().int().min(1).max(MAX_VERSION).meta({ description: 'The `version` you last read' });
