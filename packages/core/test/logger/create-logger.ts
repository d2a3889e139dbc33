import t from 'tap';
import { createLogger } from '../../src/logger/index.js';
import { Scrubber } from '../../src/redact/index.js';
import { MemorySink } from '../helpers/sink.js';

const SECRET = 'hunter2-correct-horse-battery';

function setup(
  options: Parameters<typeof createLogger>[0] extends infer O ? Partial<O> : never = {},
) {
  const sink = new MemorySink();
  const logger = createLogger({ destination: sink, format: 'json', now: () => 0, ...options });
  return { sink, logger };
}

t.test(
  'a registered secret is scrubbed from message, fields, keys and nested values',
  async (t) => {
    const { sink, logger } = setup();
    t.ok(logger.registerSecret(SECRET, 'db-password'));
    logger.info(`connecting with ${SECRET}`, {
      nested: { deeper: [`x${SECRET}y`, { [SECRET]: 1 }] },
      map: new Map([['k', SECRET]]),
    });
    t.notMatch(sink.text, SECRET);
    const [record] = sink.records();
    t.equal(record?.['msg'], 'connecting with [REDACTED:db-password]');
    t.match(JSON.stringify(record?.['nested']), /x\[REDACTED:db-password\]y/);
  },
);

t.test('the caller objects are not mutated', async (t) => {
  const { logger } = setup();
  logger.registerSecret(SECRET);
  const fields = { password: 'plain-text-password', list: [SECRET], err: new Error(SECRET) };
  const before = { password: fields.password, list: [...fields.list], message: fields.err.message };
  logger.error('failed', fields);
  t.strictSame(
    { password: fields.password, list: fields.list, message: fields.err.message },
    before,
  );
});

t.test('child loggers scrub their bindings and share secrets', async (t) => {
  const { sink, logger } = setup();
  const child = logger.child({ component: 'sync', token: 'abc-should-not-appear-123' });
  child.registerSecret(SECRET);
  logger.info(SECRET);
  child.info('hello');
  t.notMatch(sink.text, SECRET);
  t.notMatch(sink.text, 'abc-should-not-appear-123');
  const records = sink.records();
  t.equal(records[1]?.['component'], 'sync');
});

t.test('short secrets are refused with a warning that does not echo them', async (t) => {
  const { sink, logger } = setup();
  t.equal(logger.registerSecret('short', 'pin'), false);
  const [warning] = sink.records();
  t.equal(warning?.['level'], 40);
  t.match(warning?.['msg'], /not registered/);
  t.notMatch(sink.text, 'short"');
});

t.test('levels below the configured one are not written', async (t) => {
  const { sink, logger } = setup({ level: 'warn' });
  logger.info('quiet');
  logger.debug('quieter');
  logger.warn('loud');
  t.equal(sink.records().length, 1);
  t.ok(logger.isLevelEnabled('error'));
  t.notOk(logger.isLevelEnabled('info'));
});

t.test('fails closed: a record whose scrubbing throws is dropped and counted', async (t) => {
  class BrokenFields extends Scrubber {
    override scrubValue(): unknown {
      throw new Error('scrub failed');
    }
  }
  class BrokenLine extends Scrubber {
    override scrubKnownSecrets(): string {
      throw new Error('scrub failed');
    }
  }
  for (const scrubber of [new BrokenFields(), new BrokenLine()]) {
    const { sink, logger } = setup({ scrubber });
    logger.info('has a field', { token: 'raw-value-that-must-not-leak' });
    t.equal(sink.text, '');
    t.equal(logger.droppedRecords, 1);
    t.equal(logger.child({}).droppedRecords, 1, 'children share the counter');
  }
  const { sink, logger } = setup({ scrubber: new BrokenFields() });
  const child = logger.child({ token: 'raw-binding-that-must-not-leak' });
  child.info('no fields');
  t.equal(logger.droppedRecords, 1, 'unscrubbable bindings count as a drop');
  t.notMatch(sink.text, 'raw-binding');
  t.match(sink.text, 'no fields', 'the child still logs, without the bindings');
});

t.test('secret-looking environment variables are registered at creation', async (t) => {
  const { sink, logger } = setup({
    env: { NPM_TOKEN: 'npm-token-value-0123456789', PATH: '/usr/bin:/bin' },
  });
  logger.info('npm-token-value-0123456789 /usr/bin:/bin');
  t.equal(sink.records()[0]?.['msg'], '[REDACTED:NPM_TOKEN] /usr/bin:/bin');
});

t.test('inside GitHub Actions every registered secret is masked with ::add-mask::', async (t) => {
  const commands = new MemorySink();
  const { logger } = setup({
    env: { GITHUB_ACTIONS: 'true', GH_TOKEN: 'gh-token-value-0123456789' },
    commandSink: commands,
  });
  logger.registerSecret('line-one-secret\nline-two-secret');
  t.equal(
    commands.text,
    '::add-mask::gh-token-value-0123456789\n::add-mask::line-one-secret\n::add-mask::line-two-secret\n',
  );
  const outside = new MemorySink();
  setup({ env: { GH_TOKEN: 'gh-token-value-0123456789' }, commandSink: outside });
  t.equal(outside.text, '', 'no workflow commands outside Actions');
});

t.test('pretty format is human-readable and still scrubbed', async (t) => {
  const { sink, logger } = setup({ format: 'pretty' });
  logger.registerSecret(SECRET);
  logger.warn('deploying', { target: `prod ${SECRET}` });
  t.match(sink.text, /WARN.*deploying/);
  t.match(sink.text, /target: "prod \[REDACTED:secret\]"/);
  t.notMatch(sink.text, SECRET);
  t.throws(() => JSON.parse(sink.text) as unknown);
});

t.test('auto format is pretty on a TTY and JSON elsewhere', async (t) => {
  const tty = new MemorySink();
  tty.isTTY = true;
  createLogger({ destination: tty }).info('hi');
  t.throws(() => JSON.parse(tty.text) as unknown);
  const pipe = new MemorySink();
  createLogger({ destination: pipe }).info('hi');
  t.equal((JSON.parse(pipe.text) as { msg: string }).msg, 'hi');
});

t.test('secrets given at creation are registered before the first record and masked', async (t) => {
  const commands = new MemorySink();
  const { sink, logger } = setup({
    env: { GITHUB_ACTIONS: 'true' },
    commandSink: commands,
    secrets: [
      { value: 'config-secret-value-1', kind: 'quantumMerge.githubToken' },
      { value: 'tiny', kind: 'dashboard.token' },
    ],
  });
  const [warning] = sink.records();
  t.match(warning, { level: 40, kinds: ['dashboard.token'] });
  t.notMatch(sink.text, 'tiny');
  logger.info('token config-secret-value-1');
  t.equal(sink.records()[1]?.['msg'], 'token [REDACTED:quantumMerge.githubToken]');
  t.equal(commands.text, '::add-mask::config-secret-value-1\n');
});
