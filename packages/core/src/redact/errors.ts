import { VelocityError } from '../errors.js';

/**
 * An option passed to {@link Scrubber} or {@link createScrubStream} is out of range. A programming error:
 * fix the call.
 *
 * @remarks Code `REDACT_BAD_OPTION`; exit code 1.
 */
export class ScrubberOptionError extends VelocityError {
  /**
   * @param option - the option's name, e.g. `minSecretLength`
   * @param value - the value given (options never hold secrets)
   * @param expected - what is accepted, e.g. `an integer >= 8`
   */
  constructor(option: string, value: unknown, expected: string) {
    super(
      'REDACT_BAD_OPTION',
      `Option ${option} is "${String(value)}" but must be ${expected}. Pass a valid value or leave it out for the default.`,
    );
  }
}
