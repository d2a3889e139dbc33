import t from 'tap';
import {
  ConfigError,
  EXIT_CODES,
  UsageError,
  VelocityError,
  formatConfigIssue,
} from '../src/errors.js';

t.test('ConfigError lists each issue as file:line:col path: message', async (t) => {
  const err = new ConfigError([
    { file: 'velocity.yaml', line: 12, column: 5, path: 'depCi.runner', message: 'bad' },
    { path: 'log.level', message: 'worse' },
  ]);
  t.equal(err.message, 'velocity.yaml:12:5 depCi.runner: bad\nlog.level: worse');
  t.equal(err.code, 'CONFIG_INVALID');
  t.equal(err.exitCode, EXIT_CODES.usage);
  t.equal(err.name, 'ConfigError');
  t.ok(err instanceof VelocityError);
});

t.test('formatConfigIssue names the root and a file without position', async (t) => {
  t.equal(formatConfigIssue({ path: '', message: 'm' }), '(root): m');
  t.equal(formatConfigIssue({ file: 'a.yaml', path: 'x', message: 'm' }), 'a.yaml x: m');
});

t.test('UsageError exits 2 and keeps its cause', async (t) => {
  const cause = new Error('inner');
  const err = new UsageError('Unknown flag "--x". Run --help.', { cause });
  t.equal(err.exitCode, 2);
  t.equal(err.cause, cause);
  t.equal(new VelocityError('X', 'm').exitCode, EXIT_CODES.failure);
});
