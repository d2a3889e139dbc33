import type { BuildReport, BuildReporter, Executor } from '../scheduler/executor.js';
import type { Build, BuildOutcome } from '../scheduler/types.js';

/** Sends a build's result to whichever process handles the queue next (a BullMQ job). */
export type ResultRelay = (
  buildId: string,
  outcome: BuildOutcome,
  details?: BuildReport,
) => Promise<void>;

/**
 * The executor a scheduler rebuilt for one job sees: it forwards builds to a long-lived backend executor
 * (GitHub CI, local) and keeps the scheduler's reporters only for this job.
 *
 * @remarks
 * A scheduler lives for one job, but a build outlives it. So the backend reports through `relay` (a job that
 * rebuilds the queue later), never through the reporter of the job that started the build; a later job's
 * scheduler re-attaches to every running build ({@link RelayExecutor.attach}) and receives the result
 * through {@link RelayExecutor.deliver}. A result that arrives twice finds the build finished and changes
 * nothing.
 */
export class RelayExecutor implements Executor {
  readonly #backend: Executor;
  readonly #relay: ResultRelay;
  readonly #reporters = new Map<string, BuildReporter>();

  constructor(backend: Executor, relay: ResultRelay) {
    this.#backend = backend;
    this.#relay = relay;
  }

  async start(build: Build, report: BuildReporter): Promise<void> {
    this.#reporters.set(build.id, report);
    await this.#backend.start(build, (outcome, details) => this.#relay(build.id, outcome, details));
  }

  /**
   * Keeps the reporter of a build another job started. Asks the backend whether the build still exists
   * when it can tell (its `attach`); a backend that cannot tell is trusted, and the build timeout ends a
   * build whose runner died.
   */
  async attach(build: Build, report: BuildReporter): Promise<boolean> {
    const alive =
      (await this.#backend.attach?.(build, (outcome, details) =>
        this.#relay(build.id, outcome, details),
      )) ?? true;
    if (alive) this.#reporters.set(build.id, report);
    return alive;
  }

  async cancel(buildId: string): Promise<void> {
    this.#reporters.delete(buildId);
    await this.#backend.cancel(buildId);
  }

  async merge(build: Build): Promise<void> {
    await this.#backend.merge?.(build);
  }

  /**
   * Hands a result to this job's scheduler.
   *
   * @returns `false` when the build is not running in this queue (finished, cancelled, or unknown)
   */
  async deliver(buildId: string, outcome: BuildOutcome, details?: BuildReport): Promise<boolean> {
    const report = this.#reporters.get(buildId);
    if (report === undefined) return false;
    this.#reporters.delete(buildId);
    await report(outcome, details);
    return true;
  }
}
