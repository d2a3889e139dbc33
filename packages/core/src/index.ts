export type { CliIo, OutputStream } from './cli-io.js';
export {
  addCommonOptions,
  createCliLogger,
  listOption,
  loadCliConfig,
  matchCommand,
  parseSetFlags,
  stringOption,
} from './cli-support.js';
export {
  configJsonSchema,
  findConfigFile,
  formatConfig,
  formatSource,
  loadConfig,
  REDACTED,
  secretPaths,
  velocityConfigSchema,
} from './config/index.js';
export type {
  ConfigSecret,
  ConfigSource,
  DeepReadonly,
  FindConfigFileOptions,
  FormatConfigOptions,
  LoadConfigOptions,
  LoadConfigResult,
  LoadedConfig,
  VelocityConfig,
} from './config/index.js';
export {
  ConfigError,
  EXIT_CODES,
  InternalError,
  UsageError,
  VelocityError,
  formatConfigIssue,
} from './errors.js';
export type { ConfigIssue, ExitCode, VelocityErrorOptions } from './errors.js';
export { createLogger, formatAddMask, LOG_FORMATS, LOG_LEVELS } from './logger/index.js';
export type {
  CreateLoggerOptions,
  LogFields,
  LogFormat,
  LogLevel,
  LogMethod,
  Logger,
} from './logger/index.js';
export { processIo } from './process-io.js';
export { createScrubStream, registerSecretEnv, Scrubber } from './redact/index.js';
export type { AddSecretResult, ScrubberOptions } from './redact/index.js';
export { ISSUES_URL, renderHelp, runCli } from './run-cli.js';
export type { RunCliOptions } from './run-cli.js';
export { mulberry32 } from './random/mulberry32.js';
