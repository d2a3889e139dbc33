import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@velocity/core';
import { InjectError } from './errors.js';
import { INJECT_LAYOUT, planInject, type DockerCommand } from './plan-inject.js';

/** Options of {@link injectAgent}. */
export interface InjectAgentOptions {
  container: string;
  /** The agent executable to copy: a Linux build for the container's architecture. */
  agentBinary: string;
  /** The directory `livepatch certs init` wrote. */
  certsDir: string;
  /** The directory inside the container to mirror into (absolute). */
  root: string;
  /** HOST:PORT the agent listens on inside the container. */
  listen: string;
  restart?: readonly string[] | undefined;
  /** The docker CLI. @defaultValue `'docker'` */
  docker?: string;
  env?: Readonly<Record<string, string | undefined>>;
  logger: Logger;
}

/**
 * Copies the agent and the server's certificates into a running container and starts the agent there
 * (`livepatch inject`), through the docker CLI: see {@link planInject}.
 *
 * @returns where the agent was installed inside the container (a new directory per injection)
 * @throws {@link InjectError} when a file cannot be staged or a docker command fails (its stderr quoted)
 */
export async function injectAgent(options: InjectAgentOptions): Promise<string> {
  const stage = await mkdtemp(join(tmpdir(), 'livepatch-inject-'));
  try {
    await stageFiles(stage, options);
    const installDir = `/tmp/livepatch-${randomBytes(4).toString('hex')}`;
    const commands = planInject({
      container: options.container,
      stageDir: stage,
      installDir,
      root: options.root,
      listen: options.listen,
      restart: options.restart,
    });
    for (const command of commands) await runDocker(options, command);
    options.logger.info('Agent started in the container', {
      container: options.container,
      installDir,
      listen: options.listen,
    });
    return installDir;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function stageFiles(stage: string, options: InjectAgentOptions): Promise<void> {
  const copy = async (from: string, to: string, mode: number) => {
    try {
      await copyFile(from, to);
      await chmod(to, mode);
    } catch (error) {
      throw new InjectError(
        `Cannot stage "${from}" for the container (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check --agent-binary and --certs.`,
        { cause: error },
      );
    }
  };
  await copy(options.agentBinary, join(stage, INJECT_LAYOUT.agent), 0o755);
  await mkdir(join(stage, INJECT_LAYOUT.certs), { mode: 0o700 });
  for (const file of INJECT_LAYOUT.certFiles) {
    await copy(
      join(options.certsDir, file),
      join(stage, INJECT_LAYOUT.certs, file),
      file.endsWith('-key.pem') ? 0o600 : 0o644,
    );
  }
}

function runDocker(options: InjectAgentOptions, args: DockerCommand): Promise<void> {
  const docker = options.docker ?? 'docker';
  return new Promise((resolve, reject) => {
    execFile(
      docker,
      [...args],
      { ...(options.env === undefined ? {} : { env: options.env }), maxBuffer: 16 << 20 },
      (error, _stdout, stderr) => {
        if (error === null) {
          resolve();
          return;
        }
        const detail = stderr.trim().split('\n')[0] ?? error.message;
        reject(
          new InjectError(
            (error as NodeJS.ErrnoException).code === 'ENOENT'
              ? `The docker CLI "${docker}" was not found. Install Docker or pass --docker PATH.`
              : `"${docker} ${args.slice(0, 2).join(' ')}" failed: ${detail}`,
            { cause: error },
          ),
        );
      },
    );
  });
}
