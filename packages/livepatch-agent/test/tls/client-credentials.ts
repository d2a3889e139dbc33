import { createServer } from 'node:tls';
import { ServerCredentials, status } from '@grpc/grpc-js';
import t from 'tap';
import {
  createClientCredentials,
  createServerCredentials,
  TlsMaterialError,
} from '../../src/tls/index.js';
import { createProjectCertificates } from './helpers/certs.js';
import { callEcho, startEchoServer } from './helpers/echo-server.js';

const project = await createProjectCertificates(t, ['agent.internal']);
const otherProject = await createProjectCertificates(t);
const agentCredentials = createServerCredentials({
  ca: project.ca,
  cert: project.server,
  key: project.serverKey,
});
const cliMaterial = { ca: project.ca, cert: project.client, key: project.clientKey };

t.test('verifies the agent by IP, by localhost, and by an explicit server name', async (t) => {
  const agent = await startEchoServer(t, agentCredentials);
  for (const [target, serverName] of [
    [agent.address, undefined],
    [`localhost:${agent.port}`, undefined],
    [agent.address, 'agent.internal'],
    [agent.address, 'AGENT.internal'],
  ] as const) {
    const outcome = await callEcho(
      target,
      createClientCredentials(
        serverName === undefined ? cliMaterial : { ...cliMaterial, serverName },
      ),
    );
    t.strictSame(outcome, { ok: true, reply: 'ping' }, `${target} as ${serverName ?? 'itself'}`);
  }
  t.equal(agent.calls(), 4);
});

t.test('refuses an agent whose certificate does not name the host', async (t) => {
  const agent = await startEchoServer(t, agentCredentials);
  const outcome = await callEcho(
    agent.address,
    createClientCredentials({ ...cliMaterial, serverName: 'other.example' }),
  );
  t.match(outcome, {
    ok: false,
    error: { code: status.UNAVAILABLE, details: /ERR_TLS_CERT_ALTNAME_INVALID.*other\.example/ },
  });
  t.equal(agent.calls(), 0, 'the handler never ran');
});

t.test('refuses an agent whose certificate is from another CA', async (t) => {
  // This agent trusts the project CA, so it would accept the CLI; only the CLI's check can refuse it.
  const agent = await startEchoServer(
    t,
    ServerCredentials.createSsl(
      project.ca,
      [{ cert_chain: otherProject.server, private_key: otherProject.serverKey }],
      true,
    ),
  );
  const outcome = await callEcho(agent.address, createClientCredentials(cliMaterial));
  t.match(outcome, {
    ok: false,
    error: { code: status.UNAVAILABLE, details: /unable to verify the first certificate/ },
  });
  t.equal(agent.calls(), 0, 'the handler never ran');
});

t.test('refuses an agent presenting a certificate without serverAuth', async (t) => {
  const agent = await startEchoServer(
    t,
    ServerCredentials.createSsl(
      project.ca,
      [{ cert_chain: project.client, private_key: project.clientKey }],
      true,
    ),
  );
  const outcome = await callEcho(agent.address, createClientCredentials(cliMaterial));
  t.match(outcome, {
    ok: false,
    error: { code: status.UNAVAILABLE, details: /unsuitable certificate purpose/ },
  });
  t.equal(agent.calls(), 0, 'the handler never ran');
});

t.test('refuses an agent that speaks at most TLS 1.2', async (t) => {
  let secureConnections = 0;
  const server = createServer({
    ca: project.ca,
    cert: project.server,
    key: project.serverKey,
    maxVersion: 'TLSv1.2',
    ALPNProtocols: ['h2'],
  });
  server.on('secureConnection', (socket) => {
    secureConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const outcome = await callEcho(`127.0.0.1:${port}`, createClientCredentials(cliMaterial));
  t.match(outcome, {
    ok: false,
    error: { code: status.UNAVAILABLE, details: /protocol version|unsupported protocol/ },
  });
  t.equal(secureConnections, 0, 'no TLS session was established');
});

t.test('unusable material is refused when the credentials are created', async (t) => {
  t.throws(
    () => createClientCredentials({ ca: project.ca, cert: project.server, key: project.serverKey }),
    { name: 'TlsMaterialError', code: 'LIVEPATCH_TLS_INVALID_MATERIAL', part: 'cert' },
    'a server certificate lacks clientAuth',
  );
  t.throws(
    () => createClientCredentials({ ...cliMaterial, ca: otherProject.ca }),
    TlsMaterialError,
    'a certificate from another CA',
  );
});
