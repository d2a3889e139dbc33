import { Buffer } from 'node:buffer';
import type { Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { MAX_LINE_BYTES, createScrubStream } from '../../src/redact/create-scrub-stream.js';
import { ScrubberOptionError } from '../../src/redact/errors.js';
import { Scrubber } from '../../src/redact/scrubber.js';
import { body, token } from './fixtures/samples.js';

const SECRET = 'hunter2-correct-horse';
const HOLD = { flushAfterMs: 60_000 };

function scrubber(): Scrubber {
  const instance = new Scrubber();
  instance.addSecret(SECRET, 'db');
  return instance;
}

/** Feeds `chunks` through a new scrub stream and resolves with everything it wrote. */
async function run(
  chunks: ReadonlyArray<string | Buffer>,
  options: { flushAfterMs?: number } = HOLD,
  instance = scrubber(),
): Promise<Buffer> {
  const stream = createScrubStream(instance, options);
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await done;
  return Buffer.concat(out);
}

function collect(stream: Transform): Buffer[] {
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  return out;
}

t.test('a secret split at every possible chunk boundary is redacted', async (t) => {
  const gh = token('ghp_', 36);
  for (const line of [`before ${SECRET} after\n`, `push ${gh} done\r\n`]) {
    const bytes = Buffer.from(line);
    const expected = (await run([line])).toString();
    t.notMatch(expected, SECRET);
    t.notMatch(expected, gh.slice(4));
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const out = await run([bytes.subarray(0, cut), bytes.subarray(cut)]);
      t.equal(out.toString(), expected, `cut at ${cut}`);
    }
  }
});

t.test('three-way splits of a line with a secret', async (t) => {
  const line = Buffer.from(`x=${SECRET};\n`);
  for (let first = 1; first < line.length; first += 3) {
    for (let second = first; second < line.length; second += 2) {
      const out = await run([
        line.subarray(0, first),
        line.subarray(first, second),
        line.subarray(second),
      ]);
      t.equal(out.toString(), 'x=[REDACTED:db];\n');
    }
  }
});

t.test('line breaks \\n, \\r\\n and lone \\r are kept exactly', async (t) => {
  const input = `a ${SECRET}\r\nprogress 10%\rprogress 50%\r${SECRET}\n\n\rlast ${SECRET}`;
  const out = await run([input]);
  t.equal(
    out.toString(),
    'a [REDACTED:db]\r\nprogress 10%\rprogress 50%\r[REDACTED:db]\n\n\rlast [REDACTED:db]',
  );
  const split = await run(['one\r', '\ntwo\r', 'three\n']);
  t.equal(split.toString(), 'one\r\ntwo\rthree\n', 'a \\r\\n split between chunks');
});

t.test('progress output with lone \\r is written as soon as each segment ends', async (t) => {
  const stream = createScrubStream(scrubber(), HOLD);
  const out = collect(stream);
  stream.write('Downloading 10%\r');
  await sleep(0);
  t.equal(Buffer.concat(out).toString(), 'Downloading 10%\r');
  stream.write('Downloading 50%\rDone');
  await sleep(0);
  t.equal(
    Buffer.concat(out).toString(),
    'Downloading 10%\rDownloading 50%\r',
    'the partial line is held',
  );
  stream.end();
  await new Promise((resolve) => stream.on('end', resolve));
  t.equal(Buffer.concat(out).toString(), 'Downloading 10%\rDownloading 50%\rDone');
});

t.test('a partial line is flushed after flushAfterMs without new data', async (t) => {
  const stream = createScrubStream(scrubber(), { flushAfterMs: 20 });
  const out = collect(stream);
  stream.write(`Password for ${SECRET}: `);
  await sleep(0);
  t.equal(out.length, 0, 'held at first');
  await sleep(300);
  t.equal(Buffer.concat(out).toString(), 'Password for [REDACTED:db]: ');
  stream.end('typed\n');
  await new Promise((resolve) => stream.on('end', resolve));
  t.equal(Buffer.concat(out).toString(), 'Password for [REDACTED:db]: typed\n');
});

t.test('flushAfterMs 0 writes partial lines at once', async (t) => {
  const stream = createScrubStream(scrubber(), { flushAfterMs: 0 });
  const out = collect(stream);
  stream.write('prompt> ');
  await sleep(0);
  t.equal(Buffer.concat(out).toString(), 'prompt> ');
  stream.destroy();
});

t.test('destroying the stream cancels the pending flush', async (t) => {
  const stream = createScrubStream(scrubber(), { flushAfterMs: 10 });
  const out = collect(stream);
  stream.write('partial');
  stream.destroy();
  await sleep(50);
  t.equal(out.length, 0);
});

t.test(
  'bytes that are not UTF-8 pass through unchanged; ASCII secrets in them are still found',
  async (t) => {
    const random = Buffer.alloc(64 * 1024);
    let state = 12345;
    for (let index = 0; index < random.length; index += 1) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      random[index] = state >>> 24;
    }
    const out = await run([random.subarray(0, 30_000), random.subarray(30_000)]);
    t.ok(out.equals(random), 'binary data is byte-for-byte identical');
    const mixed = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from(` ${SECRET} `),
      Buffer.from([0xc3]),
      Buffer.from('\n'),
    ]);
    const scrubbed = await run([mixed]);
    t.ok(
      scrubbed.equals(
        Buffer.concat([
          Buffer.from([0xff, 0xfe, 0x80]),
          Buffer.from(' [REDACTED:db] '),
          Buffer.from([0xc3]),
          Buffer.from('\n'),
        ]),
      ),
    );
  },
);

t.test('a multi-byte character split between chunks is kept', async (t) => {
  const line = Buffer.from(`héllo wörld ${SECRET} 日本語\n`);
  const expected = Buffer.from('héllo wörld [REDACTED:db] 日本語\n');
  for (let cut = 0; cut <= line.length; cut += 1) {
    t.ok(
      (await run([line.subarray(0, cut), line.subarray(cut)])).equals(expected),
      `cut at ${cut}`,
    );
  }
});

t.test('strings can be written, and the end flushes the last line', async (t) => {
  t.equal(
    (await run(['no newline at end ', SECRET])).toString(),
    'no newline at end [REDACTED:db]',
  );
  t.equal((await run([])).toString(), '');
});

t.test('private keys spanning lines are redacted line by line', async (t) => {
  const pem = `-----BEGIN PRIVATE KEY-----\n${body(64)}\n${body(64, undefined, 2)}\n-----END PRIVATE KEY-----\nafter\n`;
  const out = await run(pem.split(''));
  t.equal(
    out.toString(),
    '[REDACTED:private-key]\n[REDACTED:private-key]\n[REDACTED:private-key]\n[REDACTED:private-key]\nafter\n',
  );
});

/** A line longer than MAX_LINE_BYTES, written in 4 KiB chunks, with the secret at `offset`. */
function longLine(offset: number, filler = 'x'): Buffer[] {
  const text = filler.repeat(offset) + SECRET + filler.repeat(3 * MAX_LINE_BYTES - offset);
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 4096) chunks.push(bytes.subarray(at, at + 4096));
  return chunks;
}

t.test('an over-long line is written in parts without splitting a registered secret', async (t) => {
  const firstCut = 17 * 4096 - 1024;
  for (let offset = firstCut - SECRET.length - 2; offset <= firstCut + 2; offset += 3) {
    const chunks = longLine(offset);
    const stream = createScrubStream(scrubber(), HOLD);
    const out = collect(stream);
    for (const chunk of chunks) stream.write(chunk);
    await sleep(0);
    t.ok(out.length > 0, 'parts are written before the line ends');
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    const text = Buffer.concat(out).toString();
    t.notMatch(text, SECRET, `secret at ${offset}`);
    t.equal(text.length, Buffer.concat(chunks).length - SECRET.length + '[REDACTED:db]'.length);
  }
});

t.test(
  'over-long lines: cut after whitespace, multi-byte and non-UTF-8 text kept intact',
  async (t) => {
    const words = Buffer.from(`word ${SECRET} `.repeat(20_000));
    const out = await run([
      words.subarray(0, 70_000),
      words.subarray(70_000, 140_001),
      words.subarray(140_001),
    ]);
    t.equal(out.toString(), 'word [REDACTED:db] '.repeat(20_000));

    const wide = Buffer.from('日本語'.repeat(40_000));
    const chunks: Buffer[] = [];
    for (let at = 0; at < wide.length; at += 4096) chunks.push(wide.subarray(at, at + 4096));
    t.ok((await run(chunks)).equals(wide), 'multi-byte characters split by chunks and cuts');
    const accents = Buffer.from(`${'é'.repeat(50_000)}x`);
    t.ok(
      (await run(split(accents, 4095))).equals(accents),
      'two-byte characters split by chunks and cuts',
    );
    const emoji = Buffer.from('😀'.repeat(40_000));
    t.ok(
      (await run([emoji.subarray(0, 70_000), emoji.subarray(70_000)])).equals(emoji),
      'whole 4-byte characters',
    );
    t.ok(
      (await run(split(emoji, 4095))).equals(emoji),
      '4-byte characters split by chunks and cuts',
    );

    const latin = Buffer.alloc(200_000, 0xe9);
    Buffer.from(SECRET).copy(latin, 100_000);
    const scrubbed = await run([latin]);
    t.equal(scrubbed.length, latin.length - SECRET.length + '[REDACTED:db]'.length);
    t.notMatch(scrubbed.toString('latin1'), SECRET);
  },
);

t.test('an over-long line is never cut between the halves of a surrogate pair', async (t) => {
  // A secret that starts with the low half of 😀 makes the cut land right after a high surrogate.
  const instance = new Scrubber();
  instance.addSecret('\ude00-secret-tail', 'odd');
  const firstCut = 17 * 4096 - 1024;
  for (let offset = firstCut - 12; offset <= firstCut + 4; offset += 1) {
    const text = `${'x'.repeat(offset)}😀-secret-tail${'x'.repeat(2 * MAX_LINE_BYTES)}`;
    const out = (
      await run(
        [Buffer.from(text)].flatMap((bytes) => split(bytes, 4096)),
        HOLD,
        instance,
      )
    ).toString();
    t.notMatch(out, '-secret-tail', `offset ${offset}`);
  }
});

function split(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

t.test('the default flush delay is 50 ms', async (t) => {
  const stream = createScrubStream(scrubber());
  const out = collect(stream);
  stream.write('waiting');
  await sleep(10);
  t.equal(out.length, 0);
  await sleep(300);
  t.equal(Buffer.concat(out).toString(), 'waiting');
  stream.destroy();
});

t.test('flushAfterMs is checked', async (t) => {
  t.throws(() => createScrubStream(scrubber(), { flushAfterMs: -1 }), ScrubberOptionError);
  t.throws(
    () => createScrubStream(scrubber(), { flushAfterMs: Number.POSITIVE_INFINITY }),
    ScrubberOptionError,
  );
});
