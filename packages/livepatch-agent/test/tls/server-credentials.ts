import { createServer, type TLSSocket } from 'node:tls';
import { credentials, status } from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import {
  createClientCredentials,
  createServerCredentials,
  TlsMaterialError,
} from '../../src/tls/index.js';
import { createProjectCertificates, type ProjectCertificates } from './helpers/certs.js';
import { callEcho, startEchoServer, type EchoServer } from './helpers/echo-server.js';
import { connectRawTls } from './helpers/raw-tls.js';

const project = await createProjectCertificates(t);
const otherProject = await createProjectCertificates(t);

/** An echo server with the agent's credentials for `certs`. */
async function startAgent(t: Test, certs: ProjectCertificates = project): Promise<EchoServer> {
  return startEchoServer(
    t,
    createServerCredentials({ ca: certs.ca, cert: certs.server, key: certs.serverKey }),
  );
}

t.test('a client with the project client certificate gets through', async (t) => {
  const agent = await startAgent(t);
  const outcome = await callEcho(
    agent.address,
    createClientCredentials({ ca: project.ca, cert: project.client, key: project.clientKey }),
  );
  t.strictSame(outcome, { ok: true, reply: 'ping' });
  t.equal(agent.calls(), 1);
  t.strictSame(agent.peers, ['livepatch-cli'], 'the handler sees the verified client certificate');
});

t.test('the connection is TLS 1.3 with ALPN h2', async (t) => {
  const agent = await startAgent(t);
  const outcome = await connectRawTls({
    host: '127.0.0.1',
    port: agent.port,
    servername: 'localhost',
    ca: project.ca,
    cert: project.client,
    key: project.clientKey,
  });
  t.match(outcome, {
    secureConnect: true,
    protocol: 'TLSv1.3',
    alpnProtocol: 'h2',
    receivedData: true,
    errorCode: undefined,
  });
});

t.test('a TLS 1.2 client is refused with a protocol_version alert', async (t) => {
  const agent = await startAgent(t);
  const outcome = await connectRawTls({
    host: '127.0.0.1',
    port: agent.port,
    servername: 'localhost',
    ca: project.ca,
    cert: project.client,
    key: project.clientKey,
    maxVersion: 'TLSv1.2',
  });
  t.match(outcome, {
    secureConnect: false,
    receivedData: false,
    errorCode: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  });
  t.equal(agent.calls(), 0);
});

t.test('refusals happen in the handshake: UNAVAILABLE and the handler never runs', async (t) => {
  const cases: [string, () => ReturnType<typeof credentials.createInsecure>, RegExp][] = [
    ['no client certificate', () => credentials.createSsl(project.ca), /certificate required/],
    [
      'a client certificate from another CA',
      () => credentials.createSsl(project.ca, otherProject.clientKey, otherProject.client),
      /Failed to connect/,
    ],
    [
      'the server certificate used as a client certificate',
      () => credentials.createSsl(project.ca, project.serverKey, project.server),
      /Failed to connect/,
    ],
    ['a plaintext client', () => credentials.createInsecure(), /Failed to connect/],
  ];
  for (const [name, makeCredentials, details] of cases) {
    t.test(name, async (t) => {
      const agent = await startAgent(t);
      const outcome = await callEcho(agent.address, makeCredentials());
      t.equal(outcome.ok, false);
      if (!outcome.ok) {
        t.equal(outcome.error.code, status.UNAVAILABLE);
        t.match(outcome.error.details, details);
      }
      t.equal(agent.calls(), 0, 'the handler never ran');
    });
  }
});

t.test('the server never sends a byte of HTTP/2 to a refused TLS client', async (t) => {
  const agent = await startAgent(t);
  const base = { host: '127.0.0.1', port: agent.port, servername: 'localhost', ca: project.ca };
  // With TLS 1.3 the client authenticates after the server's Finished, so the client's side of the
  // handshake completes; the server then verifies the certificate and hangs up before `secureConnection`.
  const noCertificate = await connectRawTls(base);
  t.match(noCertificate, {
    receivedData: false,
    errorCode: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  });
  const otherCa = await connectRawTls({
    ...base,
    cert: otherProject.client,
    key: otherProject.clientKey,
  });
  t.equal(otherCa.receivedData, false, 'a certificate from another CA gets nothing');
  const serverCertificate = await connectRawTls({
    ...base,
    cert: project.server,
    key: project.serverKey,
  });
  t.equal(serverCertificate.receivedData, false, 'the server certificate gets nothing');
  t.equal(agent.calls(), 0);
});

t.test(
  'OpenSSL itself checks the clientAuth usage and the issuer of client certificates',
  async (t) => {
    // The same TLS options the agent's credentials hand to http2.createSecureServer, but without
    // rejectUnauthorized, so the handshake completes and shows OpenSSL's verdict on each certificate.
    const agentCredentials = createServerCredentials({
      ca: project.ca,
      cert: project.server,
      key: project.serverKey,
    });
    const verdicts: (string | null)[] = [];
    const server = createServer({
      ...agentCredentials._getConstructorOptions(),
      ...agentCredentials._getSecureContextOptions(),
      rejectUnauthorized: false,
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      const error = socket.authorizationError as unknown as string | null;
      verdicts.push(error);
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => server.close());
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    for (const [cert, key] of [
      [project.client, project.clientKey],
      [project.server, project.serverKey],
      [otherProject.client, otherProject.clientKey],
    ] as const) {
      await connectRawTls({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: project.ca,
        cert,
        key,
      });
    }
    t.strictSame(verdicts, [null, 'INVALID_PURPOSE', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
  },
);

t.test('unusable material is refused when the credentials are created', async (t) => {
  t.throws(
    () => createServerCredentials({ ca: project.ca, cert: project.client, key: project.clientKey }),
    { name: 'TlsMaterialError', code: 'LIVEPATCH_TLS_INVALID_MATERIAL', part: 'cert' },
    'a client certificate lacks serverAuth',
  );
  t.throws(
    () => createServerCredentials({ ca: project.ca, cert: project.server, key: project.clientKey }),
    TlsMaterialError,
    'a key of another certificate',
  );
});

t.test('credentials are equal only to themselves', async (t) => {
  const material = { ca: project.ca, cert: project.server, key: project.serverKey };
  const agentCredentials = createServerCredentials(material);
  t.ok(agentCredentials._equals(agentCredentials));
  t.notOk(agentCredentials._equals(createServerCredentials(material)));
});
