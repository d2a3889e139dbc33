/**
 * Reload rules (`livepatch.reload` in velocity.yaml) and the plan they make for a batch.
 *
 * @module
 */
import { constants } from 'node:os';
import picomatch from 'picomatch';
import { ReloadConfigError } from './errors.js';

/** What a rule does after its files are synced. */
export const RELOAD_ACTIONS = ['sync', 'signal', 'restart', 'exec'] as const;

/**
 * One of {@link RELOAD_ACTIONS}: `sync` nothing more (the app reloads itself), `signal` sends a signal,
 * `restart` restarts the supervised app, `exec` runs a command.
 */
export type ReloadAction = (typeof RELOAD_ACTIONS)[number];

/** One hot reload rule: when a synced file matches `paths`, do `action`. */
export interface ReloadRule {
  /**
   * picomatch globs over root-relative POSIX paths, dotfiles included. A glob starting with `!`
   * excludes: a path matches when it matches a plain glob (or there is none) and no `!` glob.
   */
  paths: readonly string[];
  action: ReloadAction;
  /** For `signal` (required there, only there): e.g. `SIGHUP`. */
  signal?: NodeJS.Signals;
  /**
   * For `signal`: a file holding the pid to signal, absolute or relative to the reloader's `root`.
   * Unset: the supervised app's process group.
   */
  pidFile?: string;
  /** For `exec` (required there, only there): the argument list, run without a shell, e.g. `['npm', 'install']`. */
  command?: readonly string[];
}

/** Who receives a signal: the process named by a pid file, or the supervised app's process group. */
export type SignalTarget = { kind: 'pid-file'; pidFile: string } | { kind: 'app' };

/**
 * One action a batch triggers. `paths`: the batch's changed paths that triggered it, in the batch's
 * order (root-relative POSIX).
 */
export type PlannedReload =
  | { action: 'exec'; command: readonly string[]; paths: string[] }
  | { action: 'restart'; paths: string[] }
  | { action: 'signal'; signal: NodeJS.Signals; target: SignalTarget; paths: string[] }
  | { action: 'sync'; paths: string[] };

/** Plans a batch's reload; see {@link createReloadPlanner}. */
export type ReloadPlanner = (changedPaths: readonly string[]) => PlannedReload[];

function isKnownSignal(name: string): boolean {
  return Object.hasOwn(constants.signals, name);
}

function fail(index: number, field: string, problem: string, remedy: string): never {
  throw new ReloadConfigError(`livepatch.reload[${index}].${field} ${problem}. ${remedy}.`);
}

function validateRule(rule: ReloadRule, index: number): void {
  if (!(RELOAD_ACTIONS as readonly string[]).includes(rule.action)) {
    fail(index, 'action', `is "${String(rule.action)}"`, `Use one of ${RELOAD_ACTIONS.join(', ')}`);
  }
  if (!Array.isArray(rule.paths) || rule.paths.length === 0) {
    fail(index, 'paths', 'is empty', 'List at least one glob, e.g. "src/**"');
  }
  for (const glob of rule.paths) {
    if (typeof glob !== 'string' || glob === '' || glob === '!') {
      fail(index, 'paths', `holds "${String(glob)}"`, 'Every glob must be a non-empty string');
    }
  }
  if (rule.action === 'signal') {
    if (rule.signal === undefined) {
      fail(index, 'signal', 'is missing', 'Name the signal to send, e.g. "SIGHUP"');
    }
    if (!isKnownSignal(rule.signal)) {
      fail(
        index,
        'signal',
        `is "${rule.signal}"`,
        'Use a signal name of this platform, e.g. "SIGHUP"',
      );
    }
  } else if (rule.signal !== undefined || rule.pidFile !== undefined) {
    fail(
      index,
      rule.signal === undefined ? 'pidFile' : 'signal',
      'is set',
      'Only "signal" rules take it',
    );
  }
  if (rule.pidFile === '') fail(index, 'pidFile', 'is empty', 'Name a file, or leave it unset');
  if (rule.action === 'exec') {
    const command = rule.command;
    if (command === undefined || command.length === 0 || command[0] === '') {
      fail(
        index,
        'command',
        'is missing',
        'Give the command as an argument list, e.g. ["npm", "install"]',
      );
    }
  } else if (rule.command !== undefined) {
    fail(index, 'command', 'is set', 'Only "exec" rules take it');
  }
}

function compilePaths(globs: readonly string[]): (path: string) => boolean {
  const include = globs.filter((glob) => !glob.startsWith('!'));
  const exclude = globs.filter((glob) => glob.startsWith('!')).map((glob) => glob.slice(1));
  const included = include.length === 0 ? () => true : picomatch([...include], { dot: true });
  const excluded = exclude.length === 0 ? () => false : picomatch(exclude, { dot: true });
  return (path) => included(path) && !excluded(path);
}

/**
 * Compiles reload rules once into a planner, which turns a batch's changed paths into the actions to
 * run, in order.
 *
 * @remarks
 * Each path goes to the first rule (in order) whose `paths` match it; a path no rule matches triggers
 * nothing (an implicit `sync`). The actions of the matched rules are then deduplicated and ordered:
 *
 * 1. `exec`: one per distinct argument list, in rule order (e.g. `npm install` before the app
 *    restarts);
 * 2. `restart`: at most one;
 * 3. `signal`: one per distinct (target, signal) pair, in rule order; signals to the supervised app are
 *    dropped when the app restarts anyway (the new process reads the new files);
 * 4. `sync`: at most one, when a rule says `sync` explicitly (reported, nothing is done).
 *
 * Planning costs O(paths × rules) glob tests; the globs are compiled here, once.
 *
 * @param rules - tried in order
 * @returns the planner
 * @throws {@link ReloadConfigError} when a rule is invalid: unknown action, no paths, a `signal` rule
 *   without a known signal, an `exec` rule without a command, or a field its action does not take
 */
export function createReloadPlanner(rules: readonly ReloadRule[]): ReloadPlanner {
  rules.forEach(validateRule);
  const matchers = rules.map((rule) => compilePaths(rule.paths));
  return (changedPaths) => {
    const hits = rules.map((): string[] => []);
    for (const path of changedPaths) {
      const index = matchers.findIndex((matches) => matches(path));
      if (index !== -1) hits[index]?.push(path);
    }
    const execs = new Map<
      string,
      { action: 'exec'; command: readonly string[]; paths: string[] }
    >();
    const signals = new Map<
      string,
      { action: 'signal'; signal: NodeJS.Signals; target: SignalTarget; paths: string[] }
    >();
    let restart: { action: 'restart'; paths: string[] } | undefined;
    let sync: { action: 'sync'; paths: string[] } | undefined;
    rules.forEach((rule, index) => {
      const paths = hits[index];
      if (paths === undefined || paths.length === 0) return;
      switch (rule.action) {
        case 'exec': {
          // Validated above: exec rules have a command.
          const command = rule.command ?? [];
          const key = JSON.stringify(command);
          const planned = execs.get(key);
          if (planned === undefined)
            execs.set(key, { action: 'exec', command: [...command], paths });
          else planned.paths.push(...paths);
          break;
        }
        case 'restart':
          if (restart === undefined) restart = { action: 'restart', paths };
          else restart.paths.push(...paths);
          break;
        case 'signal': {
          const signal = rule.signal ?? 'SIGHUP';
          const target: SignalTarget =
            rule.pidFile === undefined
              ? { kind: 'app' }
              : { kind: 'pid-file', pidFile: rule.pidFile };
          const key = `${signal}\0${rule.pidFile ?? ''}`;
          const planned = signals.get(key);
          if (planned === undefined) signals.set(key, { action: 'signal', signal, target, paths });
          else planned.paths.push(...paths);
          break;
        }
        case 'sync':
          if (sync === undefined) sync = { action: 'sync', paths };
          else sync.paths.push(...paths);
          break;
      }
    });
    const plan: PlannedReload[] = [...execs.values()];
    if (restart !== undefined) plan.push(restart);
    for (const signal of signals.values()) {
      if (restart === undefined || signal.target.kind !== 'app') plan.push(signal);
    }
    if (sync !== undefined) plan.push(sync);
    // Paths were pushed in rule order while merging; give them back in the batch's order.
    if (plan.length > 0) {
      const order = new Map(changedPaths.map((path, index) => [path, index]));
      for (const planned of plan) {
        planned.paths.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      }
    }
    return plan;
  };
}

/**
 * The actions a batch triggers: {@link createReloadPlanner} for a single use.
 *
 * @param rules - tried in order
 * @param changedPaths - the batch's changed paths, root-relative POSIX
 * @returns the actions, deduplicated, exec first, then restart, signals, sync
 * @throws {@link ReloadConfigError} when a rule is invalid
 */
export function planReload(
  rules: readonly ReloadRule[],
  changedPaths: readonly string[],
): PlannedReload[] {
  return createReloadPlanner(rules)(changedPaths);
}
