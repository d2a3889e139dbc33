/**
 * LivePatch helpers for the dashboard's tests: certificates from the built `livepatch certs init`, the built
 * `livepatch-agent` on a free port, `livepatch sync --once` runs, and the agent's own `GetStatus` answer to
 * compare pages with.
 *
 * @module
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { connectAgent, loadCertificates } from '@velocity/livepatch-cli/client';
import type { Test } from 'tap';
import type { AgentStatus } from '../../src/lib/agents';
import { cleanEnv } from './dashboard.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const CLI_DIR = dirname(require.resolve('@velocity/livepatch-cli/package.json'));

/** The built `livepatch` single executable. */
export const LIVEPATCH_BIN = join(CLI_DIR, 'dist/bin/livepatch');
/** The built `livepatch-agent` single executable. */
export const LIVEPATCH_AGENT_BIN = join(
  dirname(createRequire(CLI_DIR + '/').resolve('@velocity/livepatch-agent/package.json')),
  'dist/bin/livepatch-agent',
);

/**
 * Writes a project CA, the agent's and the client's certificates into `dir` with `livepatch certs init`.
 *
 * @throws when a binary is missing (`npm run build -w @velocity/livepatch-cli -w @velocity/livepatch-agent`)
 *   or the command fails
 */
export async function initCertificates(dir: string): Promise<void> {
  for (const bin of [LIVEPATCH_BIN, LIVEPATCH_AGENT_BIN])
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  await run(LIVEPATCH_BIN, ['certs', 'init', '--out', dir], { env: cleanEnv() });
}

/** Options of {@link startLivePatchAgent}. */
export interface StartLivePatchAgentOptions {
  /** Working directory: where the agent finds its `velocity.yaml` (reload rules). */
  readonly cwd: string;
  /** The directory it mirrors into. */
  readonly root: string;
  /** The certificate directory from {@link initCertificates}. */
  readonly certs: string;
  /** The app it supervises (`--restart -- CMD ...`). */
  readonly restart?: readonly string[];
}

/** A running agent. */
export interface LivePatchAgent {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** Everything it wrote to stdout so far: the app's output, as the agent scrubbed it. */
  readonly stdout: () => string;
  /** Everything it wrote to stderr so far: its JSON log. */
  readonly stderr: () => string;
}

/**
 * Starts the built agent on a free port of 127.0.0.1 with no `VELOCITY_*` variable but JSON logs; stopped
 * (SIGTERM, which also stops its app) at `t`'s teardown.
 *
 * @throws when it exits before it listens
 */
export async function startLivePatchAgent(
  t: Test,
  options: StartLivePatchAgentOptions,
): Promise<LivePatchAgent> {
  const restart = options.restart === undefined ? [] : ['--restart', '--', ...options.restart];
  const child = spawn(
    LIVEPATCH_AGENT_BIN,
    ['--root', options.root, '--certs', options.certs, '--listen', '127.0.0.1:0', ...restart],
    {
      cwd: options.cwd,
      env: { ...cleanEnv(), VELOCITY_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /"port":(\d+)/.exec(stderr);
      if (match !== null) resolve(Number(match[1]));
    });
    child.on('exit', (code) =>
      reject(new Error(`livepatch-agent exited with ${code}:\n${stderr}`)),
    );
  });
  return { address: `127.0.0.1:${port}`, stdout: () => stdout, stderr: () => stderr };
}

/**
 * Mirrors `src` into the agent once with `livepatch sync --once --json`: one batch when anything differs. The
 * CLI's cache goes to `cache` beside `src`.
 *
 * @returns the command's summary: `filesChanged`, `filesDeleted`, `bytesSent`, …
 * @throws when the command fails
 */
export async function syncOnce(
  src: string,
  agent: LivePatchAgent,
  certs: string,
): Promise<Record<string, number>> {
  const { stdout } = await run(
    LIVEPATCH_BIN,
    [
      'sync',
      src,
      '--agent',
      agent.address,
      '--certs',
      certs,
      '--once',
      '--json',
      '--cache-dir',
      join(dirname(src), 'cache'),
    ],
    { cwd: dirname(src), env: cleanEnv() },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

/** What the agent's `GetStatus` answers now, asked directly over mutual TLS with the client certificate. */
export async function readAgentStatus(agent: LivePatchAgent, certs: string): Promise<AgentStatus> {
  const connection = connectAgent(agent.address, await loadCertificates(certs, 'client'));
  try {
    return await new Promise<AgentStatus>((resolve, reject) =>
      connection.client.GetStatus({}, (error, status) =>
        status === undefined ? reject(error ?? new Error('no answer')) : resolve(status),
      ),
    );
  } finally {
    connection.close();
  }
}
