import 'server-only';
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig, VelocityError } from '@velocity/core';
import { loadDashboardConfig } from './config';
import {
  GraphReportError,
  toBaseSelection,
  toGraphData,
  type BaseSelection,
  type LoadedGraph,
} from './graph-report';
import { scrub } from './scrub';

/** Time one dep-ci run may take, ms (a cold 50,000-file graph takes about 15 s on two cores). */
const DEP_CI_TIMEOUT_MS = 120_000;
/** Largest output read from dep-ci, bytes. */
const DEP_CI_MAX_OUTPUT_BYTES = 512 * 1024 * 1024;
/** Base refs `dep-ci affected --base` may be given: git ref characters, not starting with `-`. */
const BASE_REF = /^[\w./@{}^~+-]{1,200}$/;

/** The page asked for a repository that `dashboard.repositories` does not list. */
export class UnknownRepositoryError extends VelocityError {
  constructor(repository: string) {
    super(
      'DASHBOARD_GRAPH_UNKNOWN_REPOSITORY',
      `Repository "${repository}" is not in dashboard.repositories. Pick one of the listed repositories, or add it to dashboard.repositories.`,
    );
  }
}

/** A configured repository directory does not exist. */
export class RepositoryMissingError extends VelocityError {
  constructor(repository: string, directory: string) {
    super(
      'DASHBOARD_GRAPH_REPOSITORY_MISSING',
      `Repository "${repository}" is not a directory ("${directory}"). Fix dashboard.repositories; relative paths start at the server's working directory.`,
    );
  }
}

/** The base ref typed in the page is not a git ref name. */
export class InvalidBaseRefError extends VelocityError {
  constructor(base: string) {
    super(
      'DASHBOARD_GRAPH_INVALID_BASE_REF',
      `Base "${base}" is not a git ref. Type a branch, tag or commit such as "main" or "origin/main".`,
    );
  }
}

/** dep-ci could not be run, failed, or printed something else than its JSON. */
export class DepCiError extends VelocityError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('DASHBOARD_DEP_CI_FAILED', message, options);
  }
}

/** The repositories the graph page offers: `dashboard.repositories`, as configured. */
export async function listRepositories(): Promise<readonly string[]> {
  const { config } = await loadDashboardConfig();
  return config.dashboard.repositories;
}

/**
 * The dep-ci executable: `dashboard.depCiPath` (a relative path starts at the server's working directory; the
 * start command fills in the workspace's build when unset), else `dep-ci` on PATH.
 */
async function depCiExecutable(): Promise<string> {
  const { config } = await loadDashboardConfig();
  const configured = config.dashboard.depCiPath;
  if (configured === undefined) return 'dep-ci';
  return configured.includes('/') ? resolve(process.cwd(), configured) : configured;
}

/**
 * The environment dep-ci runs with: the server's without any `VELOCITY_*` variable, so that the repository's
 * own `velocity.yaml` configures it (the server's `VELOCITY_CONFIG` names the dashboard's file).
 */
function depCiEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('VELOCITY_')) delete env[name];
  return env;
}

/** The last `dep-ci: error: …` line of its stderr, else its last line. */
function depCiReason(stderr: string): string | undefined {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const error = lines.findLast((line) => line.startsWith('dep-ci: error: '));
  return error?.slice('dep-ci: error: '.length) ?? lines.at(-1);
}

/**
 * Runs dep-ci in `directory` and parses the one JSON document it prints.
 *
 * @throws {@link DepCiError} when it cannot start, fails, times out, or prints no JSON
 */
async function runDepCi(directory: string, args: readonly string[]): Promise<unknown> {
  const executable = await depCiExecutable();
  const command = `dep-ci ${args.join(' ')}`;
  const stdout = await new Promise<string>((done, fail) => {
    execFile(
      executable,
      args,
      {
        cwd: directory,
        env: depCiEnv(),
        timeout: DEP_CI_TIMEOUT_MS,
        maxBuffer: DEP_CI_MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (error, out, stderr) => {
        if (error === null) return done(out);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return fail(
            new DepCiError(
              `dep-ci was not found ("${executable}"). Build it (npm run build -w @velocity/dep-ci), install it on PATH, or set dashboard.depCiPath.`,
            ),
          );
        if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return fail(
            new DepCiError(
              `${command} printed more than ${DEP_CI_MAX_OUTPUT_BYTES / 1024 / 1024} MB in "${directory}". Narrow depCi.roots there.`,
            ),
          );
        if (error.killed)
          return fail(
            new DepCiError(
              `${command} did not finish within ${DEP_CI_TIMEOUT_MS / 1000} s in "${directory}". Run it there by hand to see why.`,
            ),
          );
        fail(
          new DepCiError(
            `${command} failed in "${directory}": ${depCiReason(stderr) ?? `exit code ${String(error.code)}`}. Run it there by hand for details.`,
          ),
        );
      },
    );
  });
  try {
    return JSON.parse(stdout) as unknown;
  } catch {
    throw new DepCiError(
      `${command} printed no JSON document in "${directory}". Check dashboard.depCiPath.`,
    );
  }
}

/**
 * The directory of a configured repository.
 *
 * @throws {@link UnknownRepositoryError} when `repository` is not one of `dashboard.repositories`
 * @throws {@link RepositoryMissingError} when it is not a directory
 */
async function repositoryDirectory(repository: string): Promise<string> {
  if (!(await listRepositories()).includes(repository))
    throw new UnknownRepositoryError(repository);
  const directory = resolve(process.cwd(), repository);
  const isDirectory = await stat(directory).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new RepositoryMissingError(repository, directory);
  return directory;
}

/** Converts dep-ci's JSON with `convert`; a shape that does not fit means another dep-ci version. */
function fromDepCi<T>(command: string, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (!(error instanceof GraphReportError)) throw error;
    throw new DepCiError(
      `${command} printed JSON the dashboard cannot read: ${error.problem} Use the dep-ci of this Velocity version (dashboard.depCiPath).`,
      { cause: error },
    );
  }
}

// Loads of the same repository at the same time share one dep-ci run.
const loading = new Map<string, Promise<LoadedGraph>>();

async function loadGraph(repository: string): Promise<LoadedGraph> {
  const directory = await repositoryDirectory(repository);
  const [report, { config }] = await Promise.all([
    runDepCi(directory, ['graph', '--format', 'json']),
    // What dep-ci reads in that directory: the repository's velocity.yaml, no VELOCITY_* variable.
    loadConfig({ cwd: directory, env: depCiEnv() }),
  ]);
  const graph = fromDepCi('dep-ci graph', () => toGraphData(report));
  return scrub({
    source: { kind: 'repository', repository },
    graph,
    ignoreTypeImports: config.depCi.ignoreTypeImports,
  });
}

/**
 * The import graph of a configured repository: `dep-ci graph --format json` run there now, scrubbed.
 *
 * @remarks dep-ci's own cache makes a second run cheap; loads already running for the repository are joined.
 *
 * @throws {@link UnknownRepositoryError} when `repository` is not configured
 * @throws {@link RepositoryMissingError} when its directory does not exist
 * @throws {@link DepCiError} when dep-ci cannot run or fails there
 * @throws {@link ConfigError} when the repository's velocity.yaml is invalid
 */
export function loadRepositoryGraph(repository: string): Promise<LoadedGraph> {
  let pending = loading.get(repository);
  if (pending === undefined) {
    pending = loadGraph(repository).finally(() => loading.delete(repository));
    loading.set(repository, pending);
  }
  return pending;
}

/**
 * What `dep-ci affected --base <base> --format json` selects in a configured repository (head: `HEAD`),
 * scrubbed.
 *
 * @throws {@link InvalidBaseRefError} when `base` is not a git ref name
 * @throws {@link UnknownRepositoryError}, {@link RepositoryMissingError}, {@link DepCiError} as
 *   {@link loadRepositoryGraph}
 */
export async function selectForBase(repository: string, base: string): Promise<BaseSelection> {
  if (!BASE_REF.test(base) || base.startsWith('-')) throw new InvalidBaseRefError(base);
  const directory = await repositoryDirectory(repository);
  const selection = await runDepCi(directory, ['affected', `--base=${base}`, '--format', 'json']);
  return scrub(fromDepCi('dep-ci affected', () => toBaseSelection(base, selection)));
}
