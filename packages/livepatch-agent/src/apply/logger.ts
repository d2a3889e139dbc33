/**
 * The logger the apply module writes to.
 *
 * @module
 */
import type { Logger } from '@velocity/core';

/** The part of core's {@link Logger} the apply module uses; the agent passes its own (or a child). */
export type ApplyLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** A logger that drops everything: the default when none is passed. */
export const SILENT_LOGGER: ApplyLogger = Object.freeze({
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
});
