export { createRedis, waitForRedis, type Redis, type RedisConnectionOptions } from './redis.ts';
