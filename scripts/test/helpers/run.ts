import { spawn } from 'node:child_process';

/** What a finished child process printed and its exit code (`null` when killed by a signal). */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion (at most 60 s). Children get no NODE_OPTIONS, so not the TypeScript loader
 * the tests run under; tap's processinfo hook still adds its own `--import`, which resolves no app modules.
 */
export function run(command: string, args: string[], cwd: string): Promise<RunResult> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(command, args, { cwd, env, timeout: 60_000 });
  const result: RunResult = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
  return new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ ...result, code }));
  });
}
