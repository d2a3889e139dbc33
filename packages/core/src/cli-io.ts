import type { Readable } from 'node:stream';

/** A stream the CLI writes text to; `isTTY` picks pretty logs and colours. */
export interface OutputStream {
  write(chunk: string | Uint8Array): boolean;
  isTTY?: boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Everything a CLI takes from its process, passed in so commands can be run and tested in-process.
 *
 * @remarks Built from the real process only by {@link processIo}.
 */
export interface CliIo {
  /** Standard input, read by filters such as `velocity scrub`. */
  stdin: Readable;
  /** Results only: exactly one JSON document with `--json`. */
  stdout: OutputStream;
  /** Logs, progress and `<tool>: error: <message>`. */
  stderr: OutputStream;
  /** The environment (`VELOCITY_*` config, secret-looking variables, `GITHUB_ACTIONS`). */
  env: Record<string, string | undefined>;
  /** Working directory: where `velocity.yaml` is searched from. */
  cwd: string;
  /** Aborted on SIGINT; commands stop and the CLI exits 130. */
  signal: AbortSignal;
}
