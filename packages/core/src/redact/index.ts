/**
 * Secret scrubbing for logs and CI output: {@link Scrubber} for strings and values,
 * {@link createScrubStream} for child-process output, {@link registerSecretEnv} for the environment.
 *
 * @module
 */
export { createScrubStream } from './create-scrub-stream.js';
export type { ScrubStreamOptions } from './create-scrub-stream.js';
export { ScrubberOptionError } from './errors.js';
export { registerSecretEnv } from './register-secret-env.js';
export type { RegisterSecretEnvResult } from './register-secret-env.js';
export { Scrubber } from './scrubber.js';
export type { AddSecretResult, KnownSecretSpan, ScrubberOptions } from './scrubber.js';
