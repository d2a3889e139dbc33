import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { InternalError, Scrubber, type OutputStream } from '@velocity/core';
import { CommandNotFoundError, CommandStartError } from '../src/errors.js';
import { runTests, type RunTestsOptions } from '../src/run-tests.js';

const SECRET = 'hunter2-correct-horse';

/** An {@link OutputStream} that keeps what is written; `capacity` bytes before write() reports full. */
class Sink extends EventEmitter implements OutputStream {
  readonly chunks: Buffer[] = [];
  readonly capacity: number;
  #buffered = 0;

  constructor(capacity = Infinity) {
    super();
    this.capacity = capacity;
  }

  write(chunk: string | Uint8Array): boolean {
    const bytes = Buffer.from(chunk);
    this.chunks.push(bytes);
    this.#buffered += bytes.length;
    if (this.#buffered < this.capacity) return true;
    setImmediate(() => {
      this.#buffered = 0;
      this.emit('drain');
    });
    return false;
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString();
  }
}

/** Options to run `node -e script` with a scrubber that knows {@link SECRET}. */
function nodeScript(script: string, extra: Partial<RunTestsOptions> = {}) {
  const scrubber = new Scrubber();
  scrubber.addSecret(SECRET, 'db');
  const stdout = new Sink();
  const stderr = new Sink();
  const options: RunTestsOptions = {
    argv: [process.execPath, '-e', script],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH },
    scrubber,
    stdout,
    stderr,
    ...extra,
  };
  return { options, stdout, stderr };
}

/**
 * Whether a process with `pid` is still running. On Linux a zombie (ended, not yet reaped by its new
 * parent, which may be slow in containers) counts as ended.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Resolves once `sink` has received text matching `pattern`. */
async function waitFor(sink: Sink, pattern: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const match = pattern.exec(sink.text);
    if (match !== null) return match;
    await sleep(10);
  }
}

t.test('the exit code is passed through', async (t) => {
  t.equal(await runTests(nodeScript('process.exit(3)').options), 3);
  t.equal(await runTests(nodeScript('').options), 0);
});

t.test('stdout and stderr go to their own streams', async (t) => {
  const { options, stdout, stderr } = nodeScript(
    'process.stdout.write("out\\n"); process.stderr.write("err\\n")',
  );
  await runTests(options);
  t.equal(stdout.text, 'out\n');
  t.equal(stderr.text, 'err\n');
});

t.test('the command gets the given environment and working directory', async (t) => {
  const cwd = t.testdir({});
  const { options, stdout } = nodeScript(
    'console.log(process.env.ONLY_HERE, process.env.HOME === undefined, process.cwd())',
    { cwd, env: { PATH: process.env.PATH, ONLY_HERE: 'yes' } },
  );
  await runTests(options);
  t.equal(stdout.text, `yes true ${cwd}\n`);
});

t.test('a secret printed by the command is redacted on stdout and stderr', async (t) => {
  const { options, stdout, stderr } = nodeScript(
    `console.log("password is ${SECRET}"); console.error("${SECRET}")`,
  );
  await runTests(options);
  t.notMatch(stdout.text + stderr.text, SECRET);
  t.match(stdout.text, /^password is \[REDACTED:db\]\n$/);
  t.match(stderr.text, /^\[REDACTED:db\]\n$/);
});

t.test('a secret split across two writes is still redacted', async (t) => {
  const { options, stdout } = nodeScript(
    `process.stdout.write("x=${SECRET.slice(0, 9)}");` +
      `setTimeout(() => process.stdout.write("${SECRET.slice(9)} done\\nno newline at end"), 20)`,
  );
  await runTests(options);
  t.notMatch(stdout.text, SECRET.slice(9));
  t.equal(stdout.text, 'x=[REDACTED:db] done\nno newline at end');
});

t.test('output is written in full when the destination applies backpressure', async (t) => {
  const { options } = nodeScript(
    'for (let i = 0; i < 2000; i++) process.stdout.write(`line ${i} ${"x".repeat(100)}\\n`)',
  );
  const stdout = new Sink(4096);
  await runTests({ ...options, stdout });
  const lines = stdout.text.split('\n');
  t.equal(lines.length, 2001);
  t.equal(lines[1999], `line 1999 ${'x'.repeat(100)}`);
});

t.test('a command killed by a signal exits with 128 + the signal number', async (t) => {
  // The timer keeps Node from exiting normally before the signal is handled.
  const script = 'process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 5000)';
  t.equal(await runTests(nodeScript(script).options), 143);
});

t.test('abort sends SIGINT to the command and its children, then resolves', async (t) => {
  const controller = new AbortController();
  const { options, stdout } = nodeScript(
    `const { spawn } = require('node:child_process');
     const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
     console.log('pids', process.pid, grandchild.pid);
     setInterval(() => {}, 1000);`,
    { signal: controller.signal },
  );
  const result = runTests(options);
  const [, child, grandchild] = (await waitFor(stdout, /pids (\d+) (\d+)/)).map(Number);
  t.ok(alive(child as number) && alive(grandchild as number), 'both running');
  controller.abort();
  t.equal(await result, 130);
  t.notOk(alive(child as number), 'child ended');
  for (let i = 0; i < 100 && alive(grandchild as number); i += 1) await sleep(10);
  t.notOk(alive(grandchild as number), 'grandchild ended');
});

t.test('abort with reason SIGTERM forwards SIGTERM', async (t) => {
  const controller = new AbortController();
  const { options, stdout } = nodeScript(
    'process.on("SIGINT", () => {}); console.log("ready"); setInterval(() => {}, 1000)',
    { signal: controller.signal },
  );
  const result = runTests(options);
  await waitFor(stdout, /ready/);
  controller.abort('SIGTERM');
  t.equal(await result, 143);
});

t.test('a command that ignores the signal is killed after killAfterMs', async (t) => {
  const controller = new AbortController();
  const { options, stdout } = nodeScript(
    'process.on("SIGINT", () => console.log("ignored")); console.log("ready"); setInterval(() => {}, 1000)',
    { signal: controller.signal, killAfterMs: 200 },
  );
  const result = runTests(options);
  await waitFor(stdout, /ready/);
  const start = Date.now();
  controller.abort();
  t.equal(await result, 137);
  t.ok(Date.now() - start >= 150, 'waited before SIGKILL');
  t.match(stdout.text, /ignored/);
});

t.test("the command's own exit code is kept when it exits on SIGINT", async (t) => {
  const controller = new AbortController();
  const { options, stdout } = nodeScript(
    'process.on("SIGINT", () => process.exit(7)); console.log("ready"); setInterval(() => {}, 1000)',
    { signal: controller.signal },
  );
  const result = runTests(options);
  await waitFor(stdout, /ready/);
  controller.abort();
  t.equal(await result, 7);
});

t.test('an already aborted signal starts nothing', async (t) => {
  const cwd = t.testdir({});
  const { options } = nodeScript('require("fs").writeFileSync("started", "")', { cwd });
  t.equal(await runTests({ ...options, signal: AbortSignal.abort() }), 130);
  t.equal(await runTests({ ...options, signal: AbortSignal.abort('SIGTERM') }), 143);
  await sleep(100);
  t.strictSame(await readdir(cwd), []);
});

t.test('a missing executable throws CommandNotFoundError', async (t) => {
  const { options } = nodeScript('');
  const error = await runTests({ ...options, argv: ['vitestt', 'run'] }).catch((e: unknown) => e);
  t.type(error, CommandNotFoundError);
  t.match(error, {
    code: 'DEPCI_COMMAND_NOT_FOUND',
    exitCode: 2,
    message: 'Command "vitestt" not found. Check the command after --.',
  });
});

t.test('a file that is not executable throws CommandStartError', async (t) => {
  const cwd = t.testdir({ 'not-executable': 'x' });
  const { options } = nodeScript('', { cwd });
  const error = await runTests({ ...options, argv: ['./not-executable'] }).catch((e: unknown) => e);
  t.type(error, CommandStartError);
  t.match(error, {
    code: 'DEPCI_COMMAND_START_FAILED',
    message: /^Command "\.\/not-executable" could not be started \(EACCES\)\./,
  });
});

t.test('a missing working directory throws CommandStartError', async (t) => {
  const dir = t.testdir({});
  const { options } = nodeScript('', { cwd: `${dir}/missing` });
  const error = await runTests(options).catch((e: unknown) => e);
  t.type(error, CommandStartError);
  t.match((error as Error).message, /could not be started \(no working directory ".*missing"\)/);
});

t.test('an empty argv is a programming error', async (t) => {
  await t.rejects(runTests({ ...nodeScript('').options, argv: [] }), InternalError);
});
