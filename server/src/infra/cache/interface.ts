/** A small key/value cache of JSON values with a time to live; shared by API processes with Redis. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
}
