import { pino, type Logger } from 'pino';
import { currentRequest } from './request-context.ts';

export type { Logger } from 'pino';

/** Paths pino blanks out wherever they appear in a log line. */
const redact = [
  'authorization',
  'token',
  'password',
  'secret',
  'apiKey',
  '*.authorization',
  '*.token',
  '*.password',
  '*.secret',
  '*.apiKey',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/**
 * JSON logs on stdout. Every line written while a request is being served carries its
 * `requestId`, taken from the request context rather than passed around by hand.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pressbox' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redact, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const request = currentRequest();
        return request ? { requestId: request.requestId } : {};
      },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
