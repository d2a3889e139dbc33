/**
 * Error classes of the agent's event bus.
 *
 * @module
 */
import { EXIT_CODES, VelocityError } from '@velocity/core';

/**
 * An {@link AgentEventBus} option is out of range.
 *
 * @remarks Code `LIVEPATCH_EVENT_BUS_OPTION_INVALID`; exit code 2 (the values come from config or flags).
 */
export class EventBusOptionError extends VelocityError {
  /** The option's name, e.g. `capacity`. */
  readonly option: string;

  /**
   * @param option - the option's name
   * @param value - the value given (a number, never a secret)
   * @param expected - what is accepted, e.g. `an integer >= 1`
   */
  constructor(option: string, value: unknown, expected: string) {
    super(
      'LIVEPATCH_EVENT_BUS_OPTION_INVALID',
      `Event bus option ${option} is "${String(value)}", but must be ${expected}. Pass a value in range or leave it unset.`,
      { exitCode: EXIT_CODES.usage },
    );
    this.option = option;
  }
}
