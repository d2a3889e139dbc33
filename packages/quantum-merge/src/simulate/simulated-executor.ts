import type { Clock, TimerHandle } from '../scheduler/clock.js';
import type { Executor } from '../scheduler/executor.js';
import type { Build, BuildOutcome } from '../scheduler/types.js';

/**
 * An {@link Executor} for `simulate`: a build takes a fixed time on the clock and fails if and only if its
 * tree contains a bad PR.
 */
export class SimulatedExecutor implements Executor {
  readonly #clock: Clock;
  readonly #buildMs: number;
  readonly #isBad: (pr: number) => boolean;
  readonly #running = new Map<string, TimerHandle>();

  /**
   * @param options - `clock`; `buildMs`: how long every build takes, ms; `isBad`: whether a PR breaks the
   *   build of any tree containing it
   */
  constructor(options: { clock: Clock; buildMs: number; isBad: (pr: number) => boolean }) {
    this.#clock = options.clock;
    this.#buildMs = options.buildMs;
    this.#isBad = options.isBad;
  }

  /** Schedules the build's result `buildMs` from now. */
  start(build: Build, report: (outcome: BuildOutcome) => Promise<void>): Promise<void> {
    const outcome: BuildOutcome = build.contents.some(this.#isBad) ? 'failed' : 'passed';
    this.#running.set(
      build.id,
      this.#clock.setTimer(this.#buildMs, () => {
        this.#running.delete(build.id);
        return report(outcome);
      }),
    );
    return Promise.resolve();
  }

  /** Drops the build's pending result. */
  cancel(buildId: string): Promise<void> {
    this.#running.get(buildId)?.cancel();
    this.#running.delete(buildId);
    return Promise.resolve();
  }
}
