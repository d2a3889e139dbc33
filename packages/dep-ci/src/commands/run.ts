import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@velocity/core';
import { RunnerNotFoundError } from '../errors.js';
import { readWorkTree } from '../git/index.js';
import { formatAnnotations, formatStepSummary, writeStepSummary } from '../github-summary.js';
import { runTests } from '../run-tests.js';
import { detectRunner, runnerByName, type TestRunner } from '../runners/index.js';
import { parseShard, readDurations, shardTests } from '../shard.js';
import type { CommandContext } from './context.js';

/** Options of `dep-ci run`. */
export interface RunCommandOptions {
  /** The test command after `--`. */
  command: readonly string[];
  /** `auto` or a runner name. */
  runner: string;
  /** `I/N`, 1-based. */
  shard: string | undefined;
  /** What to do when no test is affected: `skip` (exit 0) or `run-all`. */
  onEmpty: string;
}

/**
 * `dep-ci run -- <command>`: runs the affected tests with the user's command, passing the selected files
 * in the runner's own form; the runner's output goes through the secret scrubber.
 *
 * @remarks
 * When everything must run (a run-all trigger, or `--on-empty run-all` with nothing affected), the command
 * runs unchanged, so the runner's own discovery applies; with `--shard`, the shard's part of every test file
 * is passed instead. Inside GitHub Actions a step summary and a notice annotation say what runs and why.
 *
 * @throws {@link UsageError} for a missing command, a bad `--on-empty` or `--shard`, an unknown runner
 * @throws {@link RunnerNotFoundError} when `--runner auto` cannot tell the runner
 * @returns the test runner's exit code; 0 when nothing is affected and `--on-empty skip`
 */
export async function runCommand(
  context: CommandContext,
  options: RunCommandOptions,
): Promise<number> {
  const { logger, root } = context;
  if (options.command.length === 0) {
    throw new UsageError('No test command given. Put it after --, e.g. dep-ci run -- npm test.');
  }
  if (options.onEmpty !== 'skip' && options.onEmpty !== 'run-all') {
    throw new UsageError(`Unknown --on-empty "${options.onEmpty}". Use skip or run-all.`);
  }
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const runner = await chooseRunner(context, options);
  const { selection, allTests } = await context.select(context.testGlobs(runner.defaultTestGlobs));

  const runEverything =
    selection.runAll || (selection.tests.length === 0 && options.onEmpty === 'run-all');
  let tests = runEverything ? allTests() : selection.tests;
  if (shard !== undefined) {
    const durations = await readDurations(root);
    tests = shardTests(tests, {
      ...shard,
      ...(durations?.durationsMs === undefined ? {} : { durationsMs: durations.durationsMs }),
    });
  }
  await reportToGitHub(context, selection);

  if (runEverything && shard === undefined) {
    logger.info('Running every test', {
      reasons: selection.runAll
        ? selection.runAllReasons
        : ['no test is affected (--on-empty run-all)'],
    });
    return runTests({ ...childOptions(context), argv: [...options.command] });
  }
  if (tests.length === 0) {
    logger.info(
      shard === undefined
        ? 'No test is affected by the change; nothing to run'
        : 'This shard has no test to run',
      {
        changed: selection.changed.length,
        ...(shard === undefined ? {} : { shard: options.shard }),
      },
    );
    return 0;
  }
  logger.info('Running affected tests', {
    runner: runner.name,
    tests: tests.length,
    total: allTests().length,
  });
  return runTests({ ...childOptions(context), argv: runner.buildCommand(options.command, tests) });
}

function childOptions(context: CommandContext) {
  const { io, logger } = context;
  return {
    cwd: io.cwd,
    env: io.env,
    scrubber: logger.scrubber,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: io.signal,
  };
}

async function chooseRunner(
  context: CommandContext,
  options: RunCommandOptions,
): Promise<TestRunner> {
  const name = options.runner === 'auto' ? context.config.depCi.runner : options.runner;
  if (name !== undefined) return runnerByName(name);
  const packageJson: unknown = await readFile(join(context.io.cwd, 'package.json'), 'utf8')
    .then((text) => JSON.parse(text) as unknown)
    .catch(() => undefined);
  const files = new Set((await readWorkTree(context.root, { env: context.io.env })).files);
  const runner = detectRunner({ command: options.command, packageJson, files });
  if (runner === undefined) throw new RunnerNotFoundError(options.command);
  return runner;
}

async function reportToGitHub(
  context: CommandContext,
  selection: Awaited<ReturnType<CommandContext['select']>>['selection'],
): Promise<void> {
  const { io } = context;
  if (io.env['GITHUB_ACTIONS'] !== 'true') return;
  const summaryPath = io.env['GITHUB_STEP_SUMMARY'];
  if (summaryPath !== undefined && summaryPath !== '') {
    await writeStepSummary(summaryPath, formatStepSummary(selection));
  }
  io.stderr.write(formatAnnotations(selection));
}
