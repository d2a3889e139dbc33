/**
 * What the main thread and a parse worker thread say to each other: the worker's `workerData` and the
 * messages on its port. Both sides import this module; nothing here touches a thread.
 *
 * @module
 */
import type { Language, ParseResult } from '../types.js';

/** One file to parse: root-relative POSIX path and its language. */
export interface ParseJob {
  path: string;
  language: Language;
}

/** The `workerData.role` of a parse worker; the bundle's entry runs the worker loop when it sees it. */
export const PARSE_WORKER_ROLE = 'dep-ci-parse';

/**
 * The `workerData` of a parse worker.
 *
 * - `root`: absolute repository root; the worker reads each job's file at `root` + `path`
 * - `runtime`: the bytes of `web-tree-sitter.wasm`
 * - `grammars`: language → the bytes of its grammar `.wasm`, only for the languages of this batch
 */
export interface ParseWorkerData {
  role: typeof PARSE_WORKER_ROLE;
  root: string;
  runtime: Uint8Array;
  grammars: Partial<Record<Language, Uint8Array>>;
}

/** Main → worker: parse these files and answer with a {@link ChunkParsedMessage} of the same `chunk`. */
export interface ParseChunkMessage {
  type: 'parse';
  /** Chunk number, echoed in the answer. */
  chunk: number;
  jobs: ParseJob[];
}

/** Worker → main: the results of one chunk, in the order of its jobs. */
export interface ChunkParsedMessage {
  type: 'parsed';
  chunk: number;
  results: ParseResult[];
}

/** Worker → main: the parser could not be created; the worker then closes its port and exits. */
export interface InitFailedMessage {
  type: 'init-failed';
  /** The error's message. */
  message: string;
}

/** Everything a parse worker sends. */
export type WorkerMessage = ChunkParsedMessage | InitFailedMessage;

/**
 * Whether `data` is a parse worker's `workerData`.
 *
 * @param data - the thread's `workerData` (any value; `undefined` on the main thread)
 * @returns `true` when its `role` is {@link PARSE_WORKER_ROLE}; the other fields are then trusted, as only
 *   the pool sets that role
 */
export function isParseWorkerData(data: unknown): data is ParseWorkerData {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { role?: unknown }).role === PARSE_WORKER_ROLE
  );
}
