import { availableParallelism } from 'node:os';
import type { Logger } from '@velocity/core';
import type { ParseResult } from '../types.js';
import type { GrammarSource } from './grammars.js';
import { parseFile } from './parse-file.js';
import { parseInWorkers } from './parse-pool.js';
import type { ParseJob } from './parse-protocol.js';
import { SourceParser } from './source-parser.js';
import type { WorkerSource } from './worker-source.js';

export type { ParseJob } from './parse-protocol.js';

/**
 * Parses files of one repository; results are in the order of `jobs`. Never rejects for a bad file (an
 * unreadable or unparsable file gives an unparsable {@link ParseResult}); rejects only if the parser
 * itself cannot start (see {@link SourceParser.create}).
 */
export type ParseFiles = (jobs: readonly ParseJob[]) => Promise<ParseResult[]>;

/** Options of {@link createParseFiles}. */
export interface CreateParseFilesOptions {
  /** Absolute repository root; each job's file is read at `root` + `path`, by whichever thread parses it. */
  root: string;
  /** Where the `.wasm` bytes come from; called at most once per batch parsed in workers, once in-thread. */
  grammars: () => GrammarSource;
  logger: Logger;
  /**
   * Worker threads to use at most; 1 never starts workers.
   *
   * @defaultValue `os.availableParallelism()`
   */
  threads?: number;
  /**
   * Files a batch must have for workers to be started; smaller batches are parsed in this thread, as
   * starting workers costs more than it saves.
   *
   * @defaultValue {@link DEFAULT_MIN_JOBS_FOR_THREADS}
   */
  minJobsForThreads?: number;
  /** How to start a worker, or `undefined` when workers are not available in this runtime (then parse in-thread). */
  workerSource?: WorkerSource | undefined;
}

/**
 * Default of {@link CreateParseFilesOptions.minJobsForThreads}, in files.
 *
 * @remarks Measured on 2 cores with the single executable: 2 workers cost about 0.13 s to start, then
 * parse about 1.8 times as fast as one thread. Typical source files take 0.5 to 2 ms each, so workers win
 * from about 250 files (at 1,000: 0.75 s instead of 0.91 s). Trivial files (0.04 ms each, imports only)
 * need about 12,000; below that, workers lose at most their start-up.
 */
export const DEFAULT_MIN_JOBS_FOR_THREADS = 1000;

/**
 * Creates the function that parses a repository's files, in worker threads when a batch is large.
 *
 * @param options - see {@link CreateParseFilesOptions}
 * @returns a {@link ParseFiles}; it may be called several times, and the in-thread parser is created once,
 *   on first need
 * @throws `RangeError` when `threads` or `minJobsForThreads` is not a positive integer
 *
 * @remarks
 * In-thread: each file is read synchronously and parsed, O(total size). With workers (see
 * {@link parseInWorkers}): the same work over `threads` threads, plus their start-up. Any worker failure
 * loses no file: it is logged as a warning with the {@link ParseWorkerError}, and every file no worker
 * answered for is parsed in this thread.
 */
export function createParseFiles(options: CreateParseFilesOptions): ParseFiles {
  const { root, logger, workerSource } = options;
  const threads = positiveInteger('threads', options.threads ?? availableParallelism());
  const minJobs = positiveInteger(
    'minJobsForThreads',
    options.minJobsForThreads ?? DEFAULT_MIN_JOBS_FOR_THREADS,
  );
  let localParser: Promise<SourceParser> | undefined;
  /** `done` with the holes filled: the jobs no worker answered for are parsed here. */
  const parseHere = async (
    jobs: readonly ParseJob[],
    done: ReadonlyArray<ParseResult | undefined>,
  ): Promise<ParseResult[]> => {
    if (jobs.every((_, i) => done[i] !== undefined)) return done as ParseResult[];
    const parser = await (localParser ??= SourceParser.create(options.grammars()));
    return jobs.map((job, i) => done[i] ?? parseFile(parser, root, job));
  };

  return async (jobs) => {
    const start = performance.now();
    if (threads === 1 || workerSource === undefined || jobs.length < minJobs) {
      const results = await parseHere(jobs, []);
      logger.debug('Files parsed', { files: jobs.length, workers: 0, ms: elapsed(start) });
      return results;
    }
    const pool = await parseInWorkers(jobs, {
      root,
      grammars: options.grammars(),
      workerSource,
      threads,
    });
    const missing = pool.results.reduce((count, result) => count + (result ? 0 : 1), 0);
    if (pool.failure !== undefined) {
      logger.warn(pool.failure.message, { error: pool.failure, files: missing });
    }
    const results = await parseHere(jobs, pool.results);
    logger.debug('Files parsed', {
      files: jobs.length,
      workers: pool.threads,
      chunks: pool.chunks,
      inThread: missing,
      ms: elapsed(start),
    });
    return results;
  };
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  }
  return value;
}
