/**
 * Validated configuration for every Velocity tool: `velocity.yaml`, `VELOCITY_*` variables and `--set` flags.
 *
 * @module
 */
export { findConfigFile } from './find.js';
export type { FindConfigFileOptions } from './find.js';
export type { DeepReadonly } from './freeze.js';
export { configJsonSchema } from './json-schema.js';
export { loadConfig } from './load.js';
export type { ConfigSecret, LoadConfigOptions, LoadConfigResult, LoadedConfig } from './load.js';
export { REDACTED, formatConfig } from './print.js';
export type { FormatConfigOptions } from './print.js';
export { velocityConfigSchema } from './schema.js';
export type { VelocityConfig } from './schema.js';
export { secretPaths } from './schema-tree.js';
export type { ConfigSource } from './source.js';
export { formatSource } from './source.js';
