/**
 * `npm run bench -- log [--seconds N]`: records per second of Velocity's scrubbing logger with 100
 * registered secrets, against plain pino and pino with `redact` paths, on the same records in the same run.
 *
 * Target (issue 2): at least 0.5x plain pino's throughput. Every logger writes JSON lines to the same
 * in-memory sink, so the figure measures the logging path, not I/O.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createLogger } from '../packages/core/src/index.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] ?? '') || 2;

/** Counts bytes written, like a fast destination would. */
class NullSink {
  bytes = 0;
  write(text: string): boolean {
    this.bytes += text.length;
    return true;
  }
  once(): this {
    return this;
  }
}

const secrets = Array.from({ length: 100 }, () => randomBytes(18).toString('base64url'));
const records = Array.from({ length: 1000 }, (_, i) => ({
  msg: `request ${i} finished for /api/v1/repos/acme/widgets/pulls/${i} in ${(i * 7) % 900} ms`,
  fields: {
    requestId: `c0ffee${i.toString(16).padStart(6, '0')}-1c2d-4e5f-8a9b-${'0'.repeat(12)}`,
    status: 200 + (i % 5),
    durationMs: (i * 13) % 1000,
    route: '/api/v1/repos/:owner/:repo/pulls/:number',
    user: { login: `dev${i}`, id: i },
    // One record in ten carries a registered secret, one in fifty a password field.
    note: i % 10 === 0 ? `retrying with ${secrets[i % 100]}` : 'ok',
    ...(i % 50 === 0 ? { headers: { authorization: `Bearer ${secrets[(i + 1) % 100]}` } } : {}),
  },
}));

interface Candidate {
  name: string;
  log: (msg: string, fields: Record<string, unknown>) => void;
}

function measure(candidate: Candidate): number {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 1000; i += 1) {
      const record = records[i]!;
      candidate.log(record.msg, record.fields);
    }
    count += 1000;
  }
  return count / seconds;
}

const plain = pino({ base: null }, new NullSink());
const redacted = pino(
  {
    base: null,
    redact: ['headers.authorization', 'password', '*.password', 'token', '*.token', 'note'],
  },
  new NullSink(),
);
const velocity = createLogger({ destination: new NullSink(), format: 'json' });
for (const secret of secrets) velocity.registerSecret(secret);

const candidates: Candidate[] = [
  { name: 'pino (plain)', log: (msg, fields) => plain.info(fields, msg) },
  { name: 'pino (redact paths)', log: (msg, fields) => redacted.info(fields, msg) },
  { name: 'velocity (100 secrets)', log: (msg, fields) => velocity.info(msg, fields) },
];

// Warm up every candidate before measuring any of them.
for (const candidate of candidates) for (const r of records) candidate.log(r.msg, r.fields);

const results = candidates.map((candidate) => ({ name: candidate.name, perSecond: measure(candidate) }));
const base = results[0]!.perSecond;
for (const { name, perSecond } of results) {
  process.stdout.write(
    `${name.padEnd(24)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} records/s  ${(perSecond / base).toFixed(2)}x plain pino\n`,
  );
}
const ratio = results[2]!.perSecond / base;
process.stdout.write(
  `velocity/pino ratio: ${ratio.toFixed(2)} (target >= 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})\n`,
);
