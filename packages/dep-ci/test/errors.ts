import t from 'tap';
import { UsageError, VelocityError } from '@velocity/core';
import {
  BaseRefNotFoundError,
  CommandNotFoundError,
  CommandStartError,
  GitError,
  GitHubEventError,
  GitNotFoundError,
  HeadRefNotFoundError,
  NotAGitRepositoryError,
  ParseWorkerError,
  RunnerNotFoundError,
  ShardError,
  StepSummaryError,
  UnknownRunnerError,
} from '../src/errors.js';
import { TEST_RUNNER_NAMES } from '../src/runners/index.js';

t.test('every error is a VelocityError with its own code, name and exit code', async (t) => {
  const cases: Array<[VelocityError, string, number]> = [
    [new BaseRefNotFoundError('main', { shallow: false }), 'DEPCI_BASE_REF_NOT_FOUND', 1],
    [new HeadRefNotFoundError('x'), 'DEPCI_HEAD_REF_NOT_FOUND', 1],
    [new NotAGitRepositoryError('/x'), 'DEPCI_NOT_A_GIT_REPOSITORY', 1],
    [new GitNotFoundError(), 'DEPCI_GIT_NOT_FOUND', 1],
    [new GitError(['status'], 1, ''), 'DEPCI_GIT_FAILED', 1],
    [new GitHubEventError('/e.json', 'not valid JSON'), 'DEPCI_GITHUB_EVENT_INVALID', 1],
    [new ShardError('0/1', 'bad'), 'DEPCI_SHARD_INVALID', 2],
    [new UnknownRunnerError('jset'), 'DEPCI_RUNNER_UNKNOWN', 2],
    [new RunnerNotFoundError(['make']), 'DEPCI_RUNNER_NOT_FOUND', 2],
    [new CommandNotFoundError('x'), 'DEPCI_COMMAND_NOT_FOUND', 2],
    [new CommandStartError('x', 'EACCES'), 'DEPCI_COMMAND_START_FAILED', 1],
    [new StepSummaryError('/s.md', 'EISDIR'), 'DEPCI_STEP_SUMMARY_FAILED', 1],
    [new ParseWorkerError('exited with code 1'), 'DEPCI_PARSE_WORKER_FAILED', 1],
  ];
  for (const [error, code, exitCode] of cases) {
    t.type(error, VelocityError, code);
    t.equal(error.code, code);
    t.equal(error.name, error.constructor.name);
    t.equal(error.exitCode, exitCode, code);
  }
});

t.test('bad --shard and --runner values are usage errors', async (t) => {
  t.type(new ShardError('0/1', 'bad'), UsageError);
  t.type(new UnknownRunnerError('jset'), UsageError);
});

t.test('BaseRefNotFoundError says how to fetch the base', async (t) => {
  t.equal(
    new BaseRefNotFoundError('main', { shallow: false }).message,
    'Base ref "main" not found. Fetch it (git fetch origin main) or pass --base.',
  );
  t.equal(
    new BaseRefNotFoundError('origin/release/1.x', { shallow: true }).message,
    'Base ref "origin/release/1.x" not found in this shallow clone. Fetch full history (actions/checkout with fetch-depth: 0) or deepen it (git fetch --deepen=50 origin release/1.x), or pass --base.',
  );
  const noMergeBase = new BaseRefNotFoundError('origin/main', {
    shallow: false,
    problem: 'no-merge-base',
    head: 'feature',
  });
  t.equal(
    noMergeBase.message,
    'No merge base of "origin/main" and "feature": their histories are unrelated. Pass --base with the commit to compare against.',
  );
  t.match(noMergeBase, { ref: 'origin/main', shallow: false, problem: 'no-merge-base' });
});

t.test("GitError names the command and quotes git's first stderr line", async (t) => {
  const error = new GitError(
    ['diff', '--name-status', 'a', 'b'],
    128,
    "fatal: bad revision 'a'\nhint: more\n",
  );
  t.equal(
    error.message,
    `Command "git diff --name-status a b" exited with 128: fatal: bad revision 'a'. Check the repository with git status and git log.`,
  );
  t.equal(error.stderr, "fatal: bad revision 'a'\nhint: more");
  t.match(new GitError(['x'], null, '').message, /^Command "git x" was killed\. /);
});

t.test('RunnerNotFoundError and UnknownRunnerError list every runner', async (t) => {
  const list = TEST_RUNNER_NAMES.join(', ');
  t.equal(
    new RunnerNotFoundError(['make', 'test']).message,
    `Could not detect the test runner of "make test". Set depCi.runner in velocity.yaml (or --set depCi.runner=<name>) to one of ${list}.`,
  );
  t.equal(
    new UnknownRunnerError('jset').message,
    `Unknown test runner "jset". Use one of ${list}, or leave it out to detect it.`,
  );
});

t.test('wrapping errors keep their cause', async (t) => {
  const cause = new Error('spawn vitestt ENOENT');
  t.equal(new CommandNotFoundError('vitestt', { cause }).cause, cause);
  t.equal(new GitNotFoundError({ cause }).cause, cause);
});
