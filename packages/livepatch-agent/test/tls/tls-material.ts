import t from 'tap';
import { createTlsContext, TLS_VERSION, TlsMaterialError } from '../../src/tls/index.js';
import { createProjectCertificates } from './helpers/certs.js';

const project = await createProjectCertificates(t);
const otherProject = await createProjectCertificates(t);

t.test('builds a context for each role from its own certificate', async (t) => {
  t.equal(TLS_VERSION, 'TLSv1.3');
  t.ok(
    createTlsContext({ ca: project.ca, cert: project.server, key: project.serverKey }, 'server'),
  );
  t.ok(
    createTlsContext(
      {
        ca: project.ca.toString(),
        cert: project.client.toString(),
        key: project.clientKey.toString(),
      },
      'client',
    ),
    'PEM strings work as well as buffers',
  );
});

t.test('names the unusable input', async (t) => {
  const cases: [string, Parameters<typeof createTlsContext>, string, RegExp][] = [
    [
      'a CA that is not PEM',
      [{ ca: 'not a certificate', cert: project.server, key: project.serverKey }, 'server'],
      'ca',
      /"ca" is unusable: it is not a PEM certificate/,
    ],
    [
      'a leaf certificate as the CA',
      [{ ca: project.server, cert: project.server, key: project.serverKey }, 'server'],
      'ca',
      /it is not a CA certificate/,
    ],
    [
      'a certificate that is not PEM',
      [{ ca: project.ca, cert: Buffer.from('junk'), key: project.serverKey }, 'server'],
      'cert',
      /"cert" is unusable: it is not a PEM certificate/,
    ],
    [
      'a certificate from another CA',
      [{ ca: project.ca, cert: otherProject.server, key: otherProject.serverKey }, 'server'],
      'cert',
      /it was not issued by the given CA/,
    ],
    [
      'a certificate without extended key usage',
      [{ ca: project.ca, cert: project.ca, key: project.caKey }, 'server'],
      'cert',
      /lacks the serverAuth extended key usage/,
    ],
    [
      'a client certificate for the server',
      [{ ca: project.ca, cert: project.client, key: project.clientKey }, 'server'],
      'cert',
      /lacks the serverAuth extended key usage/,
    ],
    [
      'a server certificate for the client',
      [{ ca: project.ca, cert: project.server, key: project.serverKey }, 'client'],
      'cert',
      /lacks the clientAuth extended key usage/,
    ],
    [
      'the key of another certificate',
      [{ ca: project.ca, cert: project.server, key: project.clientKey }, 'server'],
      'key',
      /"key" is unusable: .*mismatch/,
    ],
    [
      'a key that is not PEM',
      [{ ca: project.ca, cert: project.server, key: 'junk' }, 'server'],
      'key',
      /"key" is unusable/,
    ],
  ];
  for (const [name, args, part, message] of cases) {
    const error = t.throws(() => createTlsContext(...args), TlsMaterialError, name);
    t.match(error, { part, message, code: 'LIVEPATCH_TLS_INVALID_MATERIAL', exitCode: 1 }, name);
  }
});

t.test('never puts key material in the message', async (t) => {
  const key = project.serverKey.toString().replace(/[A-Za-z0-9]{20}/, 'tampered'.repeat(3));
  const error = t.throws(() =>
    createTlsContext({ ca: project.ca, cert: project.server, key }, 'server'),
  ) as Error;
  t.notMatch(error.message, /PRIVATE KEY|tampered/);
});
