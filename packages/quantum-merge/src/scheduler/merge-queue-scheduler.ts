import { InternalError, type Logger } from '@velocity/core';
import { AlreadyQueuedError, SpeculativeRefMissingError } from '../errors.js';
import { BaseNotFastForwardError } from '../github/errors.js';
import type {
  QueueSnapshot,
  RedisQueueStore,
  StoreChange,
  StoreOperation,
  StoredBuild,
} from '../state/redis-store.js';
import type { Clock, TimerHandle } from './clock.js';
import type { BuildReport, BuildReporter, Executor } from './executor.js';
import { strategyLimits, type StrategyLimits } from './strategy.js';
import type { Build, BuildOutcome, EntryState, Priority, QueueEntry, Strategy } from './types.js';

/** Settings of a {@link MergeQueueScheduler}. */
export interface SchedulerOptions {
  readonly strategy: Strategy;
  /** Builds at once for `speculative` and `batch` (`serial` always runs one), at least 1. */
  readonly concurrency: number;
  /** Entries per build at most for `batch` (the others build one entry at a time), at least 1. */
  readonly batchSize: number;
  /** A build still running this many ms after it started counts as failed. */
  readonly buildTimeoutMs: number;
  /**
   * Times a failed build at the head of the queue (so with nothing unmerged ahead of it) is run again
   * before its entry is rejected or its batch bisected: a flaky failure passes on retry. @defaultValue `0`
   */
  readonly buildRetries?: number;
  /**
   * How many groups behind a failed group keep it in their builds while its failure is pending (Trunk's
   * "pending failure depth"). If one of those builds passes, the failure was flaky: everything up to the
   * passing group merges as that build tested it. `0` rebuilds the groups behind without it at once.
   * @defaultValue `0`
   */
  readonly pendingFailureDepth?: number;
}

/** What a {@link MergeQueueScheduler} works with, passed in. */
export interface SchedulerContext {
  /** Durable state; every change the scheduler makes goes through it first. */
  readonly store: RedisQueueStore;
  readonly executor: Executor;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What {@link MergeQueueScheduler.enqueue} takes. */
export interface EnqueueInput {
  readonly pr: number;
  /** 40 hex digits. */
  readonly headSha: string;
  /** @defaultValue `'normal'` */
  readonly priority?: Priority;
  /** PR title, kept for reports and squash commit messages. */
  readonly title?: string;
}

/** Entries that share one build; the unit the queue orders and tests. */
interface Group {
  /** PR numbers, in queue order. */
  members: number[];
  /** The group's current build (running, passed, or failed but not yet conclusive), if any. */
  build: Build | undefined;
  /** Runs of the head-of-queue retry count: 1 for a first build, 2 after one retry, … */
  attempt: number;
}

const ACTIVE_STATES: ReadonlySet<EntryState> = new Set(['queued', 'building', 'passed']);
const PRIORITY_RANK: Readonly<Record<Priority, number>> = { high: 0, normal: 1 };

/**
 * The merge-queue scheduler of one repository's base branch: a deterministic state machine driven by
 * enqueue, dequeue and build-result events.
 *
 * @remarks
 * The queue is an ordered list of groups (one entry each, or a batch). Group g is built on the base plus
 * every group ahead of it whose build has not failed, so its build tests exactly the tree the base will have
 * once those groups merge (Zuul's dependent pipeline). After every event the scheduler, in order:
 *
 * 1. Drops stale speculation: a group whose build's contents differ from what it should now be built on
 *    (an entry ahead failed, was dequeued or was split off) is cancelled and re-queued.
 * 2. Resolves the head group, whose build contents are exactly the base plus the group: passed, it merges
 *    (the base only ever advances to a tested tree, landed by the executor's `merge` first); failed (or
 *    timed out), it is retried while `buildRetries` allows, else the failure is conclusive, so a single
 *    entry is rejected and a batch is bisected into halves, each rebuilt. A failure behind the head is only
 *    pending (an entry ahead may be the culprit): that group keeps its place, and the groups behind it are
 *    rebuilt without it — except the `pendingFailureDepth` nearest, which keep it: if one of those passes,
 *    the failure was flaky and every group up to it merges as that build tested it. Repeats while the head
 *    resolves.
 * 3. Starts builds, front of the queue first, up to the strategy's capacity; waiting entries (high priority
 *    first, FIFO within) form new groups, batching under backlog ({@link strategyLimits}).
 *
 * Each step is one {@link RedisQueueStore.apply} operation with a deterministic id (`start:b3`,
 * `finish:b3`, `merge:b3`, …), applied before the in-memory state changes, so a repeated event changes
 * nothing. Events are handled one at a time in arrival order. Cost per event: O(G·L) for G groups and a
 * base history of L merged PRs (the contents comparison).
 *
 * @see https://zuul-ci.org/docs/zuul/latest/gating.html
 * @see https://github.com/bors-ng/bors-ng#how-it-works
 */
export class MergeQueueScheduler {
  readonly #limits: StrategyLimits;
  readonly #options: SchedulerOptions;
  readonly #context: SchedulerContext;
  readonly #entries = new Map<number, QueueEntry>();
  /** Enqueued entries not yet in a group. */
  readonly #waiting = new Set<number>();
  #groups: Group[] = [];
  readonly #merged: number[] = [];
  readonly #timers = new Map<string, TimerHandle>();
  #buildSequence = 0;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: SchedulerOptions, context: SchedulerContext) {
    this.#options = options;
    this.#context = context;
    this.#limits = strategyLimits(options.strategy, options.concurrency, options.batchSize);
  }

  /**
   * Rebuilds the scheduler of a queue from its store after a restart or a crash, then carries on from
   * there: no enqueued PR, build result or merge is lost.
   *
   * @remarks
   * Reads {@link RedisQueueStore.load} once and restores, in memory:
   *
   * - the merged history, as stored;
   * - every entry, final ones included (a PR enqueued again moves from its stored state);
   * - the groups, in queue order: one per live build, in start order, whose `targets` are its members. A
   *   build is live when it is running, or passed or failed with no `decided` field, and it is the latest
   *   build of each of its targets, all of which are in the state it leaves them in (`building` while
   *   running or failed, `passed` once passed). This leaves out builds made stale by a change ahead of them,
   *   which keep their passed or failed state in the store;
   * - the waiting entries: the active entries in no live group;
   * - the build sequence, continuing after the highest stored build id.
   *
   * A running build gets its timeout back, counted from its `startedAt` on `context.clock` (one already
   * past it fails at once), and is handed to {@link Executor.attach} so its outcome is still delivered; a
   * build the executor reports lost is restarted, with every group behind it (their start order is the
   * queue order). With an executor that has no `attach`, the first running build and every group behind it
   * are cancelled
   * and queued again, so their builds restart in queue order. Then the scheduler reconciles as after any
   * event: a passed head merges, a failed head is rejected or bisected, and builds start up to capacity.
   *
   * Each stored operation is atomic, but one event may take several. If the crash fell between them (say,
   * after a bisect but before the halves' builds started), the entries concerned wait again and are grouped
   * behind the live groups: the order may differ from an uninterrupted run, but every merge still follows a
   * passed build of exactly the merged tree. Cost: O(E + B·T) for E entries and B stored builds of up to T
   * targets, plus one reconcile.
   *
   * @param options - the settings, as for the constructor; they need not equal the earlier process's
   * @param context - the store to read (and write), and the executor, clock and logger to use from now on
   * @returns the scheduler, reconciled and ready for events
   * @throws {@link TransitionConflictError} when the stored state changes meanwhile (another scheduler)
   * @throws the store's ioredis error when Redis cannot be read, and whatever the executor's `attach` or
   *   `cancel` throws
   *
   * @privateRemarks
   * Start order is queue order because a change to a group's contents invalidates every group behind it and
   * builds start front first; restarting only some running builds would break that for the next resume,
   * hence the whole tail is restarted when the executor cannot attach.
   */
  static async resume(
    options: SchedulerOptions,
    context: SchedulerContext,
  ): Promise<MergeQueueScheduler> {
    const scheduler = new MergeQueueScheduler(options, context);
    await scheduler.#serialize(async () => scheduler.#restore(await context.store.load()));
    return scheduler;
  }

  /**
   * Resolves once no event is being handled or waiting, including results an executor reported meanwhile.
   * A job that rebuilt the scheduler awaits this before it lets go of the queue.
   */
  async idle(): Promise<void> {
    for (;;) {
      const tail = this.#tail;
      await tail;
      if (tail === this.#tail) return;
    }
  }

  /** The entry of `pr` (a copy), or `undefined` when it was never enqueued. */
  entry(pr: number): QueueEntry | undefined {
    const entry = this.#entries.get(pr);
    return entry === undefined ? undefined : { ...entry };
  }

  /** PR numbers merged into the base so far, in merge order. */
  get merged(): readonly number[] {
    return [...this.#merged];
  }

  /**
   * Adds a PR to the queue and starts builds if there is capacity. Enqueuing the same PR and head again
   * while it is queued changes nothing; a PR whose entry is final (merged, failed, dequeued) may be
   * enqueued again with a new head.
   *
   * @throws {@link AlreadyQueuedError} when the PR is active in the queue with another head
   * @throws {@link TransitionConflictError} when the stored state disagrees (another scheduler changed it)
   */
  enqueue(input: EnqueueInput): Promise<void> {
    return this.#serialize(async () => {
      const existing = this.#entries.get(input.pr);
      if (existing !== undefined && ACTIVE_STATES.has(existing.state)) {
        if (existing.headSha === input.headSha) return;
        throw new AlreadyQueuedError(input.pr);
      }
      const entry: QueueEntry = {
        pr: input.pr,
        headSha: input.headSha,
        priority: input.priority ?? 'normal',
        enqueuedAt: this.#context.clock.now(),
        state: 'queued',
        ...(input.title === undefined ? {} : { title: input.title }),
      };
      await this.#apply({
        opId: `enqueue:${entry.pr}:${entry.headSha}`,
        changes: [
          {
            kind: 'entry',
            id: String(entry.pr),
            from: existing?.state ?? '',
            to: 'queued',
            set: {
              pr: entry.pr,
              headSha: entry.headSha,
              priority: entry.priority,
              enqueuedAt: entry.enqueuedAt,
              ...(entry.title === undefined ? {} : { title: entry.title }),
            },
          },
        ],
      });
      this.#entries.set(entry.pr, entry);
      this.#waiting.add(entry.pr);
      await this.#reconcile();
    });
  }

  /**
   * Takes a PR out of the queue (closed, pushed to, or `/merge cancel`): its build is cancelled and the
   * builds behind it restart without it.
   *
   * @returns whether the PR was in the queue
   * @throws {@link TransitionConflictError} when the stored state disagrees
   */
  dequeue(pr: number): Promise<boolean> {
    return this.#serialize(async () => {
      const entry = this.#entries.get(pr);
      if (entry === undefined || !ACTIVE_STATES.has(entry.state)) return false;
      const group = this.#groups.find((candidate) => candidate.members.includes(pr));
      if (group !== undefined) {
        await this.#invalidate(group);
        group.members = group.members.filter((member) => member !== pr);
        this.#groups = this.#groups.filter((candidate) => candidate.members.length > 0);
      }
      this.#waiting.delete(pr);
      await this.#apply({
        opId: `dequeue:${pr}:${entry.headSha}`,
        changes: [
          {
            kind: 'entry',
            id: String(pr),
            from: entry.state,
            to: 'dequeued',
            set: { finishedAt: this.#context.clock.now() },
          },
        ],
      });
      entry.state = 'dequeued';
      await this.#reconcile();
      return true;
    });
  }

  /**
   * Changes the priority of an active entry (`/merge priority high`). It takes effect when the entry is
   * grouped: an entry already in a build keeps its place.
   *
   * @returns whether the PR was active in the queue
   * @throws {@link TransitionConflictError} when the stored state disagrees
   */
  setPriority(pr: number, priority: Priority): Promise<boolean> {
    return this.#serialize(async () => {
      const entry = this.#entries.get(pr);
      if (entry === undefined || !ACTIVE_STATES.has(entry.state)) return false;
      if (entry.priority === priority) return true;
      await this.#apply({
        opId: `priority:${pr}:${entry.headSha}:${priority}:${this.#context.clock.now()}`,
        changes: [
          { kind: 'entry', id: String(pr), from: entry.state, to: entry.state, set: { priority } },
        ],
      });
      this.#entries.set(pr, { ...entry, priority });
      await this.#reconcile();
      return true;
    });
  }

  async #restore(snapshot: QueueSnapshot): Promise<void> {
    // A loop, not push(...): the history only grows, and spreading it could exceed the call stack.
    for (const pr of snapshot.merged) this.#merged.push(pr);
    for (const { pr, headSha, priority, enqueuedAt, state, title } of snapshot.entries) {
      this.#entries.set(pr, {
        pr,
        headSha,
        priority,
        enqueuedAt,
        state,
        ...(title === undefined ? {} : { title }),
      });
    }
    const latest = new Map<number, StoredBuild>();
    for (const build of snapshot.builds) {
      for (const pr of build.targets) latest.set(pr, build);
      this.#buildSequence = Math.max(this.#buildSequence, Number(build.id.slice(1)) || 0);
    }
    for (const stored of snapshot.builds) {
      if (stored.decided !== undefined || stored.state === 'cancelled') continue;
      const leaves: EntryState = stored.state === 'passed' ? 'passed' : 'building';
      const live =
        stored.targets.length > 0 &&
        stored.targets.every(
          (pr) => latest.get(pr) === stored && this.#entries.get(pr)?.state === leaves,
        );
      if (!live) continue;
      const build: Build = {
        id: stored.id,
        contents: [...stored.contents],
        targets: [...stored.targets],
        startedAt: stored.startedAt,
        state: stored.state,
      };
      this.#groups.push({ members: [...stored.targets], build, attempt: stored.attempt ?? 1 });
    }
    const grouped = new Set(this.#groups.flatMap((group) => group.members));
    for (const entry of this.#entries.values()) {
      if (ACTIVE_STATES.has(entry.state) && !grouped.has(entry.pr)) this.#waiting.add(entry.pr);
    }
    const { executor } = this.#context;
    if (executor.attach === undefined) {
      const first = this.#groups.findIndex((group) => group.build?.state === 'running');
      if (first >= 0) for (const group of this.#groups.slice(first)) await this.#invalidate(group);
    } else {
      for (const [index, { build }] of this.#groups.entries()) {
        if (build?.state !== 'running') continue;
        this.#armTimeout(
          build,
          build.startedAt + this.#options.buildTimeoutMs - this.#context.clock.now(),
        );
        if (await executor.attach(build, this.#reporter(build))) continue;
        // Lost (its start never completed): restart it and, to keep start order, every build behind it.
        this.#context.logger.warn(
          'Speculative build lost; restarting it and the builds behind it',
          {
            build: build.id,
          },
        );
        for (const group of this.#groups.slice(index)) await this.#invalidate(group);
        break;
      }
    }
    this.#context.logger.info('Queue resumed', {
      merged: this.#merged.length,
      groups: this.#groups.length,
      waiting: this.#waiting.size,
    });
    await this.#reconcile();
  }

  /** Runs tasks one at a time, in call order. */
  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #apply(operation: StoreOperation): Promise<void> {
    const result = await this.#context.store.apply(operation);
    // A duplicate id means this very change is already stored (applied by an earlier delivery), so the
    // in-memory state follows it all the same.
    if (result === 'duplicate') {
      this.#context.logger.debug('Operation already applied', { opId: operation.opId });
    }
  }

  #entryChanges(
    members: readonly number[],
    to: EntryState,
    set?: Readonly<Record<string, unknown>>,
  ): StoreChange[] {
    return members.map((pr) => ({
      kind: 'entry' as const,
      id: String(pr),
      from: this.#entry(pr).state,
      to,
      ...(set === undefined ? {} : { set }),
    }));
  }

  #entry(pr: number): QueueEntry {
    const entry = this.#entries.get(pr);
    // c8 ignore next -- groups only hold enqueued PRs
    if (entry === undefined) throw new InternalError(`No queue entry for PR "#${pr}".`);
    return entry;
  }

  #setStates(members: readonly number[], state: EntryState): void {
    for (const pr of members) this.#entry(pr).state = state;
  }

  async #reconcile(): Promise<void> {
    for (;;) {
      await this.#dropStaleBuilds();
      const head = this.#groups[0];
      if (head?.build?.state === 'passed') {
        await this.#mergeThrough(0);
      } else if (head?.build?.state === 'failed') {
        const rescue = this.#flakyRescue();
        if (rescue === 'wait') break;
        if (rescue === undefined) await this.#resolveHeadFailure(head, head.build);
        else await this.#mergeThrough(rescue);
      } else {
        break;
      }
    }
    await this.#startBuilds();
  }

  async #dropStaleBuilds(): Promise<void> {
    for (const [index, group] of this.#groups.entries()) {
      if (group.build !== undefined && !sameList(group.build.contents, this.#wanted(index))) {
        await this.#invalidate(group);
      }
    }
  }

  /**
   * The tree group `index` must be built on: the merged history, the members of every group ahead of it
   * whose build has not failed, or failed no more than `pendingFailureDepth` groups ahead, then its own.
   * O(G·L) for G groups and L merged PRs.
   */
  #wanted(index: number): number[] {
    const depth = this.#options.pendingFailureDepth ?? 0;
    const wanted = [...this.#merged];
    for (const [ahead, group] of this.#groups.entries()) {
      if (ahead > index) break;
      const included = ahead === index || group.build?.state !== 'failed' || index - ahead <= depth;
      if (included) for (const pr of group.members) wanted.push(pr);
    }
    return wanted;
  }

  async #invalidate(group: Group): Promise<void> {
    const build = group.build;
    if (build === undefined) return;
    const running = build.state === 'running';
    const now = this.#context.clock.now();
    await this.#apply({
      opId: `invalidate:${build.id}`,
      changes: [
        ...(running
          ? [
              {
                kind: 'build' as const,
                id: build.id,
                from: 'running' as const,
                to: 'cancelled' as const,
                set: { finishedAt: now },
              },
            ]
          : []),
        ...this.#entryChanges(group.members, 'queued'),
      ],
    });
    if (running) {
      build.state = 'cancelled';
      this.#timers.get(build.id)?.cancel();
      this.#timers.delete(build.id);
      await this.#context.executor.cancel(build.id);
    }
    this.#setStates(group.members, 'queued');
    group.build = undefined;
    this.#context.logger.debug('Speculative build dropped', { build: build.id });
  }

  /**
   * With the head's failure pending: the index of a group within `pendingFailureDepth` behind it whose build
   * passed on a tree containing every group up to it (so the failure was flaky), `'wait'` while such a
   * build may still pass, or `undefined` when the failure is conclusive.
   */
  #flakyRescue(): number | 'wait' | undefined {
    const depth = this.#options.pendingFailureDepth ?? 0;
    let pending = false;
    for (let index = 1; index <= depth && index < this.#groups.length; index++) {
      const group = this.#groups[index];
      // c8 ignore next -- the loop stays inside the array
      if (group === undefined) break;
      const covers = (build: Build) => sameList(build.contents, this.#membersThrough(index));
      if (group.build?.state === 'passed' && covers(group.build)) return index;
      if (group.build === undefined || (group.build.state === 'running' && covers(group.build))) {
        pending = true;
      }
    }
    return pending ? 'wait' : undefined;
  }

  /** The merged history plus the members of groups 0..`index`, in queue order. */
  #membersThrough(index: number): number[] {
    return [...this.#merged, ...this.#groups.slice(0, index + 1).flatMap((group) => group.members)];
  }

  /**
   * Merges groups 0..`index` as group `index`'s passed build tested them: `0` is the plain case (the head
   * passed); a higher index is a flaky failure ahead rescued by a later build.
   */
  async #mergeThrough(index: number): Promise<void> {
    const build = this.#groups[index]?.build;
    const through = this.#groups.slice(0, index + 1);
    const members = through.flatMap((group) => group.members);
    // The invariant the whole queue exists for: the base moves only to the exact tree a build tested.
    // c8 ignore next 3 -- #dropStaleBuilds and #flakyRescue have just checked the contents
    if (build === undefined || !sameList(build.contents, [...this.#merged, ...members])) {
      throw new InternalError(
        `Build "${build?.id ?? '?'}" does not match the base it would merge into.`,
      );
    }
    try {
      await this.#context.executor.merge?.(build);
    } catch (error) {
      if (!(
        error instanceof BaseNotFastForwardError || error instanceof SpeculativeRefMissingError
      )) {
        throw error;
      }
      // The base branch moved outside the queue (no build tested a tree on the new tip), or the tested
      // commit is unknown: nothing may merge until it is rebuilt.
      this.#context.logger.warn('Cannot merge the tested commit; rebuilding every group', {
        build: build.id,
        reason: error.message,
      });
      for (const group of this.#groups) await this.#invalidate(group);
      return;
    }
    const now = this.#context.clock.now();
    // Builds ahead of the merging one are superseded by it: a flaky failure, or a pass that merges with it.
    const superseded = through
      .slice(0, -1)
      .flatMap((group) => (group.build === undefined ? [] : [group.build]));
    await this.#apply({
      opId: `merge:${build.id}`,
      changes: [
        ...superseded.map((ahead) => ({
          kind: 'build' as const,
          id: ahead.id,
          from: ahead.state,
          to: ahead.state,
          set: { decided: ahead.state === 'failed' ? ('flaky' as const) : ('merge' as const) },
        })),
        { kind: 'build', id: build.id, from: 'passed', to: 'passed', set: { decided: 'merge' } },
        ...this.#entryChanges(members, 'merged', { finishedAt: now }),
      ],
      append: members,
    });
    this.#setStates(members, 'merged');
    this.#merged.push(...members);
    this.#groups.splice(0, index + 1);
    this.#context.logger.debug(index === 0 ? 'Merged' : 'Merged past a flaky failure', {
      prs: members,
      build: build.id,
    });
  }

  async #resolveHeadFailure(head: Group, build: Build): Promise<void> {
    const now = this.#context.clock.now();
    if (head.attempt <= (this.#options.buildRetries ?? 0)) {
      await this.#apply({
        opId: `retry:${build.id}`,
        changes: [
          { kind: 'build', id: build.id, from: 'failed', to: 'failed', set: { decided: 'retry' } },
          ...this.#entryChanges(head.members, 'queued'),
        ],
      });
      this.#setStates(head.members, 'queued');
      head.build = undefined;
      head.attempt += 1;
      this.#context.logger.debug('Failed build retried', { prs: head.members, build: build.id });
      return;
    }
    if (head.members.length === 1) {
      await this.#apply({
        opId: `reject:${build.id}`,
        changes: [
          { kind: 'build', id: build.id, from: 'failed', to: 'failed', set: { decided: 'reject' } },
          ...this.#entryChanges(head.members, 'failed', { finishedAt: now }),
        ],
      });
      this.#setStates(head.members, 'failed');
      this.#groups.shift();
      this.#context.logger.debug('Rejected', { prs: head.members, build: build.id });
      return;
    }
    await this.#apply({
      opId: `bisect:${build.id}`,
      changes: [
        { kind: 'build', id: build.id, from: 'failed', to: 'failed', set: { decided: 'bisect' } },
        ...this.#entryChanges(head.members, 'queued'),
      ],
    });
    this.#setStates(head.members, 'queued');
    const half = Math.ceil(head.members.length / 2);
    this.#groups.splice(
      0,
      1,
      { members: head.members.slice(0, half), build: undefined, attempt: 1 },
      { members: head.members.slice(half), build: undefined, attempt: 1 },
    );
    this.#context.logger.debug('Batch bisected', { prs: head.members, build: build.id });
  }

  async #startBuilds(): Promise<void> {
    const { capacity, maxBatchSize } = this.#limits;
    let running = this.#groups.filter((group) => group.build?.state === 'running').length;
    for (const [index, group] of this.#groups.entries()) {
      if (group.build === undefined && running < capacity) {
        await this.#startBuild(group, this.#wanted(index));
        running += 1;
      }
    }
    const waiting = [...this.#waiting].map((pr) => this.#entry(pr)).sort(compareEntries);
    while (running < capacity && waiting.length > 0) {
      // Batch only under backlog: while every waiting entry can have a build of its own, it gets one.
      const size = Math.min(maxBatchSize, Math.ceil(waiting.length / (capacity - running)));
      const members = waiting.splice(0, size).map((entry) => entry.pr);
      for (const pr of members) this.#waiting.delete(pr);
      const group: Group = { members, build: undefined, attempt: 1 };
      this.#groups.push(group);
      await this.#startBuild(group, this.#wanted(this.#groups.length - 1));
      running += 1;
    }
  }

  async #startBuild(group: Group, contents: readonly number[]): Promise<void> {
    this.#buildSequence += 1;
    const build: Build = {
      id: `b${this.#buildSequence}`,
      contents,
      targets: [...group.members],
      startedAt: this.#context.clock.now(),
      state: 'running',
    };
    await this.#apply({
      opId: `start:${build.id}`,
      changes: [
        {
          kind: 'build',
          id: build.id,
          from: '',
          to: 'running',
          set: {
            id: build.id,
            contents: build.contents,
            targets: build.targets,
            startedAt: build.startedAt,
            attempt: group.attempt,
          },
        },
        ...this.#entryChanges(group.members, 'building'),
      ],
    });
    group.build = build;
    this.#setStates(group.members, 'building');
    this.#armTimeout(build, this.#options.buildTimeoutMs);
    await this.#context.executor.start(build, this.#reporter(build));
  }

  /** Fails `build` with `timeout` once `delayMs` ms have passed, unless it finishes first. */
  #armTimeout(build: Build, delayMs: number): void {
    this.#timers.set(
      build.id,
      this.#context.clock.setTimer(Math.max(0, delayMs), () =>
        this.#serialize(() => this.#finish(build.id, 'timeout')),
      ),
    );
  }

  /** The callback through which the executor reports `build`'s outcome. */
  #reporter(build: Build): BuildReporter {
    return (outcome, report) => this.#serialize(() => this.#finish(build.id, outcome, report));
  }

  async #finish(buildId: string, outcome: BuildOutcome, report?: BuildReport): Promise<void> {
    const group = this.#groups.find((candidate) => candidate.build?.id === buildId);
    const build = group?.build;
    // A result for a build that was cancelled, or already finished (a redelivery), changes nothing.
    if (group === undefined || build === undefined || build.state !== 'running') return;
    this.#timers.get(buildId)?.cancel();
    this.#timers.delete(buildId);
    if (outcome === 'timeout') await this.#context.executor.cancel(buildId);
    const passed = outcome === 'passed';
    await this.#apply({
      opId: `finish:${buildId}`,
      changes: [
        {
          kind: 'build',
          id: buildId,
          from: 'running',
          to: passed ? 'passed' : 'failed',
          set: { finishedAt: this.#context.clock.now(), outcome, ...report },
        },
        ...(passed ? this.#entryChanges(group.members, 'passed') : []),
      ],
    });
    build.state = passed ? 'passed' : 'failed';
    if (passed) this.#setStates(group.members, 'passed');
    await this.#reconcile();
  }
}

/** Queue order of waiting entries: high priority first, then FIFO by enqueue time, then PR number. */
function compareEntries(a: QueueEntry, b: QueueEntry): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    a.enqueuedAt - b.enqueuedAt ||
    a.pr - b.pr
  );
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
