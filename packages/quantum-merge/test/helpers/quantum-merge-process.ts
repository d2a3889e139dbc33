/**
 * Runs the built `dist/bin/quantum-merge` single executable (`serve`, `worker`) as a child process against a
 * test Redis and a fake GitHub, and a fake CI that tests speculative branches for real.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeGitHub } from './fake-github/index.js';
import { sendWebhook, type SendWebhookResult } from './fake-github/index.js';

/** The built single executable. */
export const QUANTUM_MERGE_BIN = join(import.meta.dirname, '../../dist/bin/quantum-merge');

/** The webhook secret every test process is configured with. */
export const WEBHOOK_SECRET = 'e2e-webhook-secret';

/** A running `quantum-merge` process. */
export interface QuantumMergeProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:PORT` for `serve`; `''` for `worker`. */
  readonly url: string;
  /** Everything it wrote to stderr (JSON log lines). */
  readonly log: () => string;
  /** Sends `signal` and waits for the exit; resolves with the exit code (or the signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts `quantum-merge <args>` with `VELOCITY_QUANTUM_MERGE_*` settings and waits until it is ready (its
 * `Quantum Merge listening` or `Workers started` log line).
 *
 * @throws when the binary is missing (`npm run build`) or the process exits before it is ready
 */
export async function startQuantumMerge(
  args: readonly string[],
  settings: Readonly<Record<string, string>>,
  cwd: string,
): Promise<QuantumMergeProcess> {
  if (!existsSync(QUANTUM_MERGE_BIN)) {
    throw new Error(`${QUANTUM_MERGE_BIN} is missing: run npm run build first`);
  }
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? cwd,
    VELOCITY_LOG_LEVEL: 'debug',
    VELOCITY_LOG_FORMAT: 'json',
  };
  for (const [key, value] of Object.entries(settings)) {
    env[`VELOCITY_QUANTUM_MERGE_${key}`] = value;
  }
  const child = spawn(QUANTUM_MERGE_BIN, [...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const listening = /"url":"([^"]+)"[^\n]*"msg":"Quantum Merge listening"/.exec(stderr);
      if (listening?.[1] !== undefined) resolve(listening[1]);
      else if (/"msg":"Workers started"/.test(stderr) && !args.includes('serve')) resolve('');
    });
    void exited.then((code) =>
      reject(new Error(`quantum-merge ${args.join(' ')} exited (${code}):\n${stderr}`)),
    );
  });
  child.stdout?.resume();
  return {
    child,
    url,
    log: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `condition` every 25 ms until it holds. @throws after `timeoutMs` with `what` */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** One speculative commit the fake CI tested. */
export interface CiRun {
  readonly ref: string;
  readonly sha: string;
  readonly conclusion: 'success' | 'failure';
}

/**
 * The repository's CI, for tests: watches the fake GitHub's git repository for speculative branches
 * (`velocity-mq/…`), fails a commit whose tree has a file named `BROKEN`, passes the others, and reports
 * each result as a check run plus a signed `check_run` webhook, as GitHub Actions would.
 */
export class FakeCi {
  /** Every result reported, in order. */
  readonly runs: CiRun[] = [];
  /** While true, new speculative commits wait (as builds that take long). */
  held = false;
  /** While true, results are recorded on GitHub but no webhook is sent (as when a delivery is lost). */
  silent = false;
  /** Where webhooks go (the `serve` process's `/webhooks`). */
  webhookUrl = '';
  readonly #fake: FakeGitHub;
  readonly #seen = new Set<string>();
  readonly #timer: NodeJS.Timeout;
  #polling: Promise<void> = Promise.resolve();
  #busy = false;

  constructor(fake: FakeGitHub, checkName = 'test') {
    this.#fake = fake;
    this.#timer = setInterval(() => {
      if (!this.#busy) this.#polling = this.#poll(checkName);
    }, 20);
  }

  /** Stops watching, after the poll in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#polling;
  }

  /** Shas that passed. */
  get passed(): Set<string> {
    return new Set(this.runs.filter((run) => run.conclusion === 'success').map((run) => run.sha));
  }

  async #poll(checkName: string): Promise<void> {
    if (this.#busy || this.held || this.webhookUrl === '') return;
    this.#busy = true;
    try {
      const listed = await this.#fake.git.git([
        'for-each-ref',
        '--format=%(refname) %(objectname)',
        'refs/heads/velocity-mq/',
      ]);
      for (const line of listed.split('\n').filter(Boolean)) {
        const [ref = '', sha = ''] = line.split(' ');
        if (this.#seen.has(sha)) continue;
        this.#seen.add(sha);
        const files = await this.#fake.git.listFiles(sha);
        const conclusion = files.includes('BROKEN') ? 'failure' : 'success';
        const run = await this.#fake.addCheckRun(sha, { name: checkName, conclusion });
        this.runs.push({ ref, sha, conclusion });
        if (!this.silent) await this.deliver(sha, checkName, conclusion, run.id);
      }
    } finally {
      this.#busy = false;
    }
  }

  /** Sends the `check_run` completed webhook for a result. */
  deliver(
    sha: string,
    name: string,
    conclusion: string,
    id: number,
    deliveryId?: string,
  ): Promise<SendWebhookResult> {
    return sendWebhook({
      url: this.webhookUrl,
      secret: WEBHOOK_SECRET,
      event: 'check_run',
      ...(deliveryId === undefined ? {} : { deliveryId }),
      payload: {
        action: 'completed',
        check_run: {
          id,
          name,
          head_sha: sha,
          status: 'completed',
          conclusion,
          details_url: `https://ci.example/runs/${id}`,
        },
        repository: { full_name: this.#fake.fullName },
      },
    });
  }
}

/** Sends a signed `pull_request` webhook, as GitHub does on labeled/unlabeled/synchronize/closed. */
export async function sendPullRequestEvent(
  url: string,
  fake: FakeGitHub,
  pr: number,
  action: 'labeled' | 'unlabeled' | 'synchronize' | 'closed',
  options: { label?: string; deliveryId?: string } = {},
): Promise<SendWebhookResult> {
  const pull = fake.pulls.get(pr);
  if (pull === undefined) throw new Error(`no pull request #${pr}`);
  return sendWebhook({
    url: `${url}/webhooks`,
    secret: WEBHOOK_SECRET,
    event: 'pull_request',
    ...(options.deliveryId === undefined ? {} : { deliveryId: options.deliveryId }),
    payload: {
      action,
      number: pr,
      pull_request: {
        number: pr,
        merged: pull.merged,
        base: { ref: pull.base },
        head: { ref: pull.headRef, sha: await fake.branchSha(pull.headRef) },
      },
      ...(options.label === undefined ? {} : { label: { name: options.label } }),
      repository: { full_name: fake.fullName },
    },
  });
}

/** Sends a signed `issue_comment` webhook: `login` comments `body` on PR `pr` (e.g. `/merge`). */
export function sendComment(
  url: string,
  fake: FakeGitHub,
  pr: number,
  body: string,
  login: string,
): Promise<SendWebhookResult> {
  return sendWebhook({
    url: `${url}/webhooks`,
    secret: WEBHOOK_SECRET,
    event: 'issue_comment',
    payload: {
      action: 'created',
      issue: {
        number: pr,
        pull_request: { url: `${fake.url}/repos/${fake.fullName}/pulls/${pr}` },
      },
      comment: { id: pr * 1000 + body.length, body, user: { login } },
      repository: { full_name: fake.fullName },
    },
  });
}
