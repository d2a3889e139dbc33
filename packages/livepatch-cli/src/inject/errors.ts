import { VelocityError, type VelocityErrorOptions } from '@velocity/core';

/** The agent could not be copied into the container or started there. */
export class InjectError extends VelocityError {
  /** @param message - what failed and what to do */
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('LIVEPATCH_INJECT_FAILED', message, options);
    this.name = 'InjectError';
  }
}
