import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import t from 'tap';
import { SourceParser, WASM_FILES, nodeModulesGrammars } from '../../src/parsers/index.js';
import {
  PARSE_WORKER_ROLE,
  type ChunkParsedMessage,
  type ParseWorkerData,
  type WorkerMessage,
} from '../../src/parsers/parse-protocol.js';
import { runIfParseWorker, runParseWorker } from '../../src/parsers/parse-worker.js';

const require = createRequire(import.meta.url);
const wasm = (file: string) => readFile(require.resolve(file));

/** The next message `port` receives. */
function nextMessage(port: MessagePort): Promise<WorkerMessage> {
  return new Promise((resolve) => port.once('message', resolve));
}

t.test('parses each chunk it is sent, also chunks sent before the parser was ready', async (t) => {
  const root = t.testdir({
    'a.ts': "import { b } from './b.js';\n",
    'c.py': 'from .d import e\n',
  });
  const data: ParseWorkerData = {
    role: PARSE_WORKER_ROLE,
    root,
    runtime: await wasm(WASM_FILES.runtime),
    grammars: {
      typescript: await wasm(WASM_FILES.typescript),
      python: await wasm(WASM_FILES.python),
    },
  };
  const { port1: main, port2: worker } = new MessageChannel();
  t.teardown(() => main.close());
  main.postMessage({ type: 'parse', chunk: 4, jobs: [{ path: 'a.ts', language: 'typescript' }] });
  const first = nextMessage(main);
  await runParseWorker(worker, data);
  const parser = await SourceParser.create(nodeModulesGrammars());
  t.strictSame(await first, {
    type: 'parsed',
    chunk: 4,
    results: [parser.parse("import { b } from './b.js';\n", 'typescript')],
  } satisfies ChunkParsedMessage);

  main.postMessage({
    type: 'parse',
    chunk: 5,
    jobs: [
      { path: 'c.py', language: 'python' },
      { path: 'gone.ts', language: 'typescript' },
    ],
  });
  t.strictSame(await nextMessage(main), {
    type: 'parsed',
    chunk: 5,
    results: [
      parser.parse('from .d import e\n', 'python'),
      { references: [], unparsable: true, error: 'could not read the file (ENOENT)' },
    ],
  });
});

t.test('a parser that cannot be created is reported, and the port closed', async (t) => {
  const { port1: main, port2: worker } = new MessageChannel();
  const closed = new Promise((resolve) => worker.once('close', resolve));
  const message = nextMessage(main);
  await runParseWorker(worker, {
    role: PARSE_WORKER_ROLE,
    root: '/',
    runtime: await wasm(WASM_FILES.runtime),
    grammars: { typescript: new TextEncoder().encode('not wasm') },
  });
  t.match(await message, { type: 'init-failed', message: String });
  await closed;
});

t.test('the main thread is no parse worker', async (t) => {
  t.equal(runIfParseWorker(), false);
});
