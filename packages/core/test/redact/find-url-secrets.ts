import t from 'tap';
import { findUrlSecrets } from '../../src/redact/find-url-secrets.js';
import { RedactionRanges } from '../../src/redact/redaction-ranges.js';
import { body } from './fixtures/samples.js';

function redact(text: string): string {
  const ranges = new RedactionRanges();
  findUrlSecrets(text, ranges);
  return ranges.applyTo(text);
}

t.test('only the password of user information is redacted', async (t) => {
  const cases: Array<[string, string]> = [
    ['redis://:pw-123@cache:6379/0', 'redis://:[REDACTED:password]@cache:6379/0'],
    [
      'postgres://app:s3cret@db.internal:5432/ci',
      'postgres://app:[REDACTED:password]@db.internal:5432/ci',
    ],
    [
      'https://user:token@github.com/org/repo.git',
      'https://user:[REDACTED:password]@github.com/org/repo.git',
    ],
    ['git+ssh://git:p@ss@host/x', 'git+ssh://git:[REDACTED:password]@host/x'],
    ['amqp://u:p%40ss@mq?x=1', 'amqp://u:[REDACTED:password]@mq?x=1'],
    ['"mongodb://root:example@mongo"', '"mongodb://root:[REDACTED:password]@mongo"'],
    [
      'a https://u:one@h and ftp://v:two@k',
      'a https://u:[REDACTED:password]@h and ftp://v:[REDACTED:password]@k',
    ],
  ];
  for (const [input, expected] of cases) t.equal(redact(input), expected, input);
});

t.test('URLs without a password are left alone', async (t) => {
  for (const text of [
    'https://github.com/org/repo',
    'ssh://git@github.com/org/repo.git',
    'https://token@github.com/x',
    'https://example.com/path?email=a@b.com',
    'https://u:@host/x',
    'postgres://app:[REDACTED:secret]@db',
    'see ://odd:thing@x',
    'git@github.com:org/repo.git',
  ]) {
    t.equal(redact(text), text, text);
  }
});

t.test('Slack and Discord webhook URLs keep only scheme and host', async (t) => {
  const slack = `https://hooks.slack.com/services/T0${body(8)}/B0${body(8)}/${body(24)}`;
  t.equal(
    redact(`post to ${slack} now`),
    'post to https://hooks.slack.com/[REDACTED:slack-webhook] now',
  );
  const discord = `https://discord.com/api/webhooks/123456789012345678/${body(68)}`;
  t.equal(redact(discord), 'https://discord.com/api/webhooks/[REDACTED:discord-webhook]');
  const legacy = `https://discordapp.com/api/webhooks/123456789012345678/${body(68)}`;
  t.equal(redact(legacy), 'https://discordapp.com/api/webhooks/[REDACTED:discord-webhook]');
  t.equal(redact('https://hooks.slack.com/help'), 'https://hooks.slack.com/help');
});
