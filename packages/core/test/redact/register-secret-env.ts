import t from 'tap';
import { registerSecretEnv } from '../../src/redact/register-secret-env.js';
import { Scrubber } from '../../src/redact/scrubber.js';

t.test('registers values of secret-named variables, named after the variable', async (t) => {
  const scrubber = new Scrubber();
  const env = {
    GITHUB_TOKEN: 'gh-token-value-0123456789',
    GH_TOKEN: 'gh-token-value-0123456789',
    NPM_TOKEN: 'npm-token-value-0123456789',
    AWS_SECRET_ACCESS_KEY: 'aws/secret+access/key0123456789',
    DB_PASSWORD: 'short',
    OPENAI_API_KEY: '',
    NODE_AUTH_TOKEN: undefined,
    PATH: '/usr/local/bin:/usr/bin',
    PWD: '/home/runner/work/velocity',
    SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
    TOKEN_FILE: '/run/secrets/token',
  };
  t.strictSame(registerSecretEnv(scrubber, env), {
    registered: ['GITHUB_TOKEN', 'GH_TOKEN', 'NPM_TOKEN', 'AWS_SECRET_ACCESS_KEY'],
    refused: ['DB_PASSWORD', 'OPENAI_API_KEY'],
  });
  t.equal(scrubber.size, 3);
  t.equal(
    scrubber.scrubKnownSecrets(
      'npm-token-value-0123456789 /usr/local/bin gh-token-value-0123456789',
    ),
    '[REDACTED:NPM_TOKEN] /usr/local/bin [REDACTED:GITHUB_TOKEN]',
  );
});

t.test('an empty environment registers nothing', async (t) => {
  t.strictSame(registerSecretEnv(new Scrubber(), {}), { registered: [], refused: [] });
});
