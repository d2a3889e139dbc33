import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { Scrubber } from '@velocity/core';
import t from 'tap';
import { AgentEventBus, EventBusOptionError, type AgentLogRecord } from '../../src/events/index.js';

const SECRET = 'qwertyuiop123';

function createBus(options: { capacity?: number; maxTextLength?: number } = {}) {
  const scrubber = new Scrubber();
  scrubber.addSecret(SECRET);
  let time = 1000;
  const warnings: string[] = [];
  const events = new AgentEventBus({
    scrubber,
    now: () => time++,
    flushAfterMs: 500,
    logger: { warn: (message) => warnings.push(message) },
    ...options,
  });
  return { events, warnings };
}

t.test('events are scrubbed and stored in the LogEvent shape', async (t) => {
  const { events } = createBus();
  const stored = events.event('reload', `exec: "deploy --key ${SECRET}" exited 0`, 'b1');
  events.record({ stream: 'stderr', text: 'plain line' });
  t.strictSame(events.recent(), [
    {
      timeMs: 1000,
      stream: 'event',
      kind: 'reload',
      text: 'exec: "deploy --key [REDACTED:secret]" exited 0',
      batchId: 'b1',
    },
    { timeMs: 1001, stream: 'stderr', text: 'plain line' },
  ]);
  t.ok(Object.isFrozen(stored));
  t.equal(events.scrub(`x ${SECRET}`), 'x [REDACTED:secret]');
});

t.test('the ring buffer keeps the newest records, oldest first', async (t) => {
  const { events } = createBus({ capacity: 3 });
  for (let index = 1; index <= 5; index += 1) events.record({ stream: 'stdout', text: `${index}` });
  t.equal(events.capacity, 3);
  t.equal(events.size, 3);
  t.strictSame(
    events.recent().map((record) => record.text),
    ['3', '4', '5'],
  );
  const fresh = createBus({ capacity: 3 }).events;
  t.strictSame(fresh.recent(), []);
});

t.test('subscribers get every new record until they unsubscribe', async (t) => {
  const { events, warnings } = createBus();
  events.record({ stream: 'stdout', text: 'before' });
  const seen: string[] = [];
  const alsoSeen: string[] = [];
  const unsubscribe = events.subscribe((record) => seen.push(record.text));
  events.subscribe(() => {
    throw new Error('broken listener');
  });
  const listener = (record: AgentLogRecord) => alsoSeen.push(record.text);
  const unsubscribeFirst = events.subscribe(listener);
  events.subscribe(listener);
  events.record({ stream: 'stdout', text: 'one' });
  unsubscribe();
  unsubscribe();
  unsubscribeFirst();
  events.record({ stream: 'stdout', text: 'two' });
  t.strictSame(seen, ['one']);
  t.strictSame(alsoSeen, ['one', 'one', 'two'], 'the same function twice is two subscriptions');
  t.equal(warnings.length, 2, 'the throwing listener is logged and stays subscribed');
});

t.test('long texts are cut after scrubbing', async (t) => {
  const { events } = createBus({ maxTextLength: 64 });
  const { text } = events.record({ stream: 'stdout', text: `${'a'.repeat(100)} ${SECRET}` });
  t.equal(text.length, 64);
  t.match(text, /^a+…\[truncated\]$/);
});

t.test('options out of range are refused', async (t) => {
  const scrubber = new Scrubber();
  t.throws(() => new AgentEventBus({ scrubber, capacity: 0 }), EventBusOptionError);
  t.throws(() => new AgentEventBus({ scrubber, maxTextLength: 10 }), {
    code: 'LIVEPATCH_EVENT_BUS_OPTION_INVALID',
    option: 'maxTextLength',
  });
  t.throws(() => new AgentEventBus({ scrubber, flushAfterMs: -1 }), EventBusOptionError);
  t.ok(new AgentEventBus({ scrubber }).capacity === 1000, 'capacity defaults to 1000');
});

t.test("a secret split across a child's writes is scrubbed from its output", async (t) => {
  const { events } = createBus();
  const child = spawn(
    process.execPath,
    [
      '-e',
      `process.stdout.write('the value is ${SECRET.slice(0, 4)}');
       setTimeout(() => process.stdout.write('${SECRET.slice(4)} ok\\nsecond\\r\\nprompt> '), 10);
       console.error('on stderr');`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: {} },
  );
  await Promise.all([
    events.pipe(child.stdout, 'stdout', { batchId: 'b7' }),
    events.pipe(child.stderr, 'stderr'),
  ]);
  const byStream = (stream: string) =>
    events
      .recent()
      .filter((record) => record.stream === stream)
      .map((record) => record.text);
  t.strictSame(byStream('stdout'), ['the value is [REDACTED:secret] ok', 'second', 'prompt> ']);
  t.strictSame(byStream('stderr'), ['on stderr']);
  t.ok(
    events
      .recent()
      .filter((record) => record.stream === 'stdout')
      .every((record) => record.batchId === 'b7' && record.kind === undefined),
  );
  t.notMatch(JSON.stringify(events.recent()), SECRET.slice(2));
});

t.test('output lines: CRLF across chunks, lone CR, prompts, invalid UTF-8, kind', async (t) => {
  const { events } = createBus();
  const source = new PassThrough();
  const piped = events.pipe(source, 'stdout', { kind: 'exec' });
  source.write('first\r');
  await new Promise((resolve) => setTimeout(resolve, 40));
  source.write('\nprogress 1\rprogress 2\r\n');
  source.write(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  source.write('\n');
  source.end('waiting');
  await piped;
  t.strictSame(
    events.recent().map((record) => record.text),
    ['first', 'progress 1', 'progress 2', 'café', '', 'waiting'],
  );
  t.ok(events.recent().every((record) => record.kind === 'exec'));
});

t.test('a failed source ends its output without rejecting', async (t) => {
  const { events } = createBus();
  const source = new PassThrough();
  const piped = events.pipe(source, 'stderr');
  source.write('partial line\n');
  await new Promise((resolve) => setImmediate(resolve));
  source.destroy(new Error('EPIPE'));
  await piped;
  t.strictSame(
    events.recent().map((record) => record.text),
    ['partial line'],
  );
});
