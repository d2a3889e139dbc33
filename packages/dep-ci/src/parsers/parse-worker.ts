/**
 * The worker side of parallel parsing: a parse worker thread creates its own {@link SourceParser} from the
 * `.wasm` bytes in its `workerData`, then answers each {@link ParseChunkMessage} with the chunk's results.
 *
 * @module
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Language } from '../types.js';
import type { GrammarSource } from './grammars.js';
import { parseFile } from './parse-file.js';
import {
  isParseWorkerData,
  type ChunkParsedMessage,
  type InitFailedMessage,
  type ParseChunkMessage,
  type ParseWorkerData,
} from './parse-protocol.js';
import { SourceParser } from './source-parser.js';

/**
 * Runs the worker loop if this thread is a parse worker; the entry of dep-ci's bundle calls it first.
 *
 * @returns `true` when this thread is a parse worker (the loop now runs until the main thread terminates
 *   it), `false` on the main thread or in any other worker: the caller then runs the CLI
 *
 * @privateRemarks Reads `node:worker_threads`' per-thread `workerData` and `parentPort`: this is the one
 * place that decides what a thread of the bundle is.
 */
export function runIfParseWorker(): boolean {
  if (isMainThread || parentPort === null || !isParseWorkerData(workerData)) return false;
  void runParseWorker(parentPort, workerData);
  return true;
}

/**
 * The worker loop: creates the parser, then parses each chunk the port sends and posts its results.
 *
 * @param port - the worker's `parentPort` (in tests, one end of a `MessageChannel`)
 * @param data - the worker's `workerData`
 * @returns once the parser is ready and the port is listened to, or once an {@link InitFailedMessage}
 *   was posted and the port closed; never rejects
 *
 * @remarks Messages the main thread sends before the parser is ready wait in the port's queue, which only
 * starts delivering when the listener is attached.
 */
export async function runParseWorker(port: MessagePort, data: ParseWorkerData): Promise<void> {
  let parser: SourceParser;
  try {
    parser = await SourceParser.create(bytesSource(data), {
      languages: Object.keys(data.grammars) as Language[],
    });
  } catch (error) {
    const message: InitFailedMessage = {
      type: 'init-failed',
      /* c8 ignore next -- web-tree-sitter and the grammar source throw Error objects */
      message: error instanceof Error ? error.message : String(error),
    };
    port.postMessage(message);
    port.close();
    return;
  }
  port.on('message', (message: ParseChunkMessage) => {
    const answer: ChunkParsedMessage = {
      type: 'parsed',
      chunk: message.chunk,
      results: message.jobs.map((job) => parseFile(parser, data.root, job)),
    };
    port.postMessage(answer);
  });
}

/** A {@link GrammarSource} over the bytes in `data`. */
function bytesSource(data: ParseWorkerData): GrammarSource {
  return {
    runtime: () => Promise.resolve(data.runtime),
    load: (language) => {
      const bytes = data.grammars[language];
      /* c8 ignore next 3 -- SourceParser.create loads only the languages in `data.grammars` */
      return bytes === undefined
        ? Promise.reject(new Error(`Grammar "${language}" was not sent to the worker.`))
        : Promise.resolve(bytes);
    },
  };
}
