/**
 * `npm run bench -- log [--seconds N]`: records per second of Velocity's scrubbing logger with 100
 * registered secrets, against plain pino and pino with `redact` paths, on the same records in the same run.
 *
 * Target (issue 2): at least 0.5x plain pino's throughput. Every logger writes JSON lines through its own
 * synchronous sonic-boom destination on the null device (`os.devNull`), as a production logger writes to a
 * file descriptor; `--sink memory` writes to a no-op sink instead (the scrubber then also pays for flattening
 * pino's concatenated string, which a real destination pays for otherwise).
 */
import { randomBytes } from 'node:crypto';
import { devNull } from 'node:os';
import { pino } from 'pino';
import { createLogger } from '../packages/core/src/index.js';
import { flag } from './lib/flags.js';

const seconds = Number(flag('--seconds')) || 2;
const sinkKind = flag('--sink') ?? 'devnull';

/** A no-op destination that counts characters. */
class MemorySink {
  chars = 0;
  write(text: string): boolean {
    this.chars += text.length;
    return true;
  }
}

/** A fresh destination of the chosen kind for each logger. */
function sink(): { write(text: string): unknown } {
  return sinkKind === 'memory' ? new MemorySink() : pino.destination({ dest: devNull, sync: true });
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

/** Records per second of one candidate over `ms` milliseconds of whole passes over the records. */
function measure(candidate: Candidate, ms: number): number {
  const start = performance.now();
  let count = 0;
  let elapsed = 0;
  do {
    for (const record of records) candidate.log(record.msg, record.fields);
    count += records.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (count / elapsed) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const plain = pino({ base: null }, sink());
const redacted = pino(
  {
    base: null,
    redact: ['headers.authorization', 'password', '*.password', 'token', '*.token', 'note'],
  },
  sink(),
);
const velocity = createLogger({ destination: sink(), format: 'json' });
for (const secret of secrets) velocity.registerSecret(secret);

const candidates: Candidate[] = [
  { name: 'pino (plain)', log: (msg, fields) => plain.info(fields, msg) },
  { name: 'pino (redact paths)', log: (msg, fields) => redacted.info(fields, msg) },
  { name: 'velocity (100 secrets)', log: (msg, fields) => velocity.info(msg, fields) },
];

// Warm up every candidate before measuring any of them.
for (const candidate of candidates) for (const r of records) candidate.log(r.msg, r.fields);

const ROUNDS = 10;
process.stdout.write(
  `${records.length} distinct records, ${seconds} s per logger in ${ROUNDS} interleaved rounds (median), destination: ${sinkKind === 'memory' ? 'no-op sink' : devNull}\n`,
);
// Rounds interleave the candidates so that noise from other processes hits each of them alike; each
// candidate's figure is its median round.
const perRound = candidates.map(() => [] as number[]);
for (let round = 0; round < ROUNDS; round += 1) {
  candidates.forEach((candidate, index) => {
    perRound[index]!.push(measure(candidate, (seconds * 1000) / ROUNDS));
  });
}
const results = candidates.map((candidate, index) => ({
  name: candidate.name,
  perSecond: median(perRound[index]!),
}));
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
