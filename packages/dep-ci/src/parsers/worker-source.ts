import { Worker } from 'node:worker_threads';

/**
 * How to start a parse worker thread in this runtime. The worker runs dep-ci's entry, which sees the
 * parse role in its `workerData` and runs the worker loop instead of the CLI (`bin/dep-ci.cjs`).
 *
 * - `file`: `new Worker(file)`: the plain bundle `dist/dep-ci.cjs`; in tests `bin/dep-ci.cjs` with
 *   `execArgv: ['--import', 'tsx']`. Without `execArgv` the worker inherits the parent's.
 * - `eval`: `new Worker(code(), {eval: true})`: the single executable, whose only copy of the bundle is a
 *   SEA asset (a SEA's `require` loads builtins only). `code` is called once per batch of files.
 *
 * @see {@link https://nodejs.org/api/worker_threads.html#new-workerfilename-options}
 */
export type WorkerSource =
  | { kind: 'file'; file: string | URL; execArgv?: readonly string[] }
  | { kind: 'eval'; code: () => string };

/**
 * A started worker's script: a file, or JavaScript source to evaluate. {@link startWorker} takes it from
 * {@link resolveWorkerScript}, once per batch.
 */
export type WorkerScript =
  | { kind: 'file'; file: string | URL; execArgv?: readonly string[] }
  | { kind: 'eval'; code: string };

/**
 * The script of `source`, with an `eval` source's code fetched.
 *
 * @param source - how workers start in this runtime
 * @returns the script to give each {@link startWorker} call
 * @throws whatever an `eval` source's `code()` throws (e.g. `getAsset` when the bundle is not embedded)
 */
export function resolveWorkerScript(source: WorkerSource): WorkerScript {
  return source.kind === 'eval' ? { kind: 'eval', code: source.code() } : source;
}

/**
 * Starts one worker thread.
 *
 * @param script - what it runs, from {@link resolveWorkerScript}
 * @param workerData - cloned into the worker (structured clone)
 * @returns the running worker; failures to load its script arrive as its `error` event
 * @throws `Error` from Node when the worker cannot be created at all (e.g. a `file` that is not a path)
 */
export function startWorker(script: WorkerScript, workerData: unknown): Worker {
  if (script.kind === 'eval') return new Worker(script.code, { eval: true, workerData });
  return new Worker(script.file, {
    workerData,
    ...(script.execArgv === undefined ? {} : { execArgv: [...script.execArgv] }),
  });
}
