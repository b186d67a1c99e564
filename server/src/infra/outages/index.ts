export { asOutageError, outageOf, outageRetryAfterSeconds, type Dependency } from './classify.ts';
export { createOutageReporter, watchConnection, type OutageReporter, type OutageReporterOptions } from './reporter.ts';
