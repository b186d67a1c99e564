export type { AppRouter } from './router.ts';
export { appRouter } from './router.ts';
export { createApp } from './app.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export { createLogger } from './logger.ts';
export { startPressbox, type RunningPressbox, type Role } from './server.ts';
export { createServices, type Services } from './services.ts';
export { buildOpenApiDocument } from './openapi/document.ts';
export { loadOrCreateDevKey, mintDevToken, type DevSigningKey } from './auth/dev-keys.ts';
