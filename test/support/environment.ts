/** Where the real services of the test machine are; override with TEST_POSTGRES_URL / TEST_REDIS_URL. */
export const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** In CI every service is required: a suite that would skip fails instead. */
export const servicesRequired = process.env.CI === 'true' || process.env.CI === '1' || process.env.PRESSBOX_REQUIRE_SERVICES === 'true';
