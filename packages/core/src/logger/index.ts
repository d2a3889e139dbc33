export { createLogger } from './create-logger.js';
export type { CreateLoggerOptions, LogFields, LogMethod, Logger } from './create-logger.js';
export { formatAddMask } from './github-mask.js';
export { LOG_FORMATS, LOG_LEVELS } from './levels.js';
export type { LogFormat, LogLevel } from './levels.js';
export { ScrubbingDestination } from './scrubbing-destination.js';
export type { DropCounter, TextSink } from './scrubbing-destination.js';
