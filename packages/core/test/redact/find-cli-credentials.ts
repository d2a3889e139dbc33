import t from 'tap';
import { findCliCredentials } from '../../src/redact/find-cli-credentials.js';
import { RedactionRanges } from '../../src/redact/redaction-ranges.js';

function redact(text: string): string {
  const ranges = new RedactionRanges();
  findCliCredentials(text, ranges);
  return ranges.applyTo(text);
}

t.test('basic-auth flags lose the password, keep the user', async (t) => {
  const cases: Array<[string, string]> = [
    ['curl -u admin:s3cret https://x', 'curl -u admin:[REDACTED:password] https://x'],
    ['curl --user=admin:s3cret x', 'curl --user=admin:[REDACTED:password] x'],
    ['curl --user "admin:s3cret" x', 'curl --user "admin:[REDACTED:password]" x'],
    ['wget --proxy-user bot:pa:ss x', 'wget --proxy-user bot:[REDACTED:password] x'],
    ['-u a:b', '-u a:[REDACTED:password]'],
  ];
  for (const [input, expected] of cases) t.equal(redact(input), expected, input);
});

t.test('-p is a password only after commands that define it so', async (t) => {
  const cases: Array<[string, string]> = [
    ['mysql -uroot -pSuperSecret db', 'mysql -uroot -p[REDACTED:password] db'],
    ['mysqldump -h db -pS3cret x > y', 'mysqldump -h db -p[REDACTED:password] x > y'],
    ['mariadb\t-pS3cret', 'mariadb\t-p[REDACTED:password]'],
    ['docker login -u bot -p S3cret ghcr.io', 'docker login -u bot -p [REDACTED:password] ghcr.io'],
    ["sshpass -p 'S3cret' ssh host", "sshpass -p '[REDACTED:password]' ssh host"],
  ];
  for (const [input, expected] of cases) t.equal(redact(input), expected, input);
});

t.test('look-alikes stay intact', async (t) => {
  const unchanged = [
    'gcc -pthread -o x main.c',
    'docker run -p 8080:80 nginx',
    'mysql -p',
    'mysql -p\n-pNotAfterMysql',
    'ssh -p 2222 host',
    'tar -u file',
    'git log -u --stat',
    'curl -u admin:[REDACTED:password] x',
    'mkdir -p /tmp/x',
  ];
  for (const text of unchanged) t.equal(redact(text), text, text);
});
