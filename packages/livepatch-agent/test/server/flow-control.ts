import { connect, type ClientHttp2Session } from 'node:http2';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from '@grpc/grpc-js';
import t from 'tap';
import {
  enlargeConnectionWindows,
  RECEIVE_WINDOW_BYTES,
  SERVER_HTTP2_SETTINGS,
} from '../../src/server/flow-control.js';
import { createServerCredentials } from '../../src/tls/index.js';
import { createProjectCertificates } from '../tls/helpers/certs.js';

const project = await createProjectCertificates(t);

/** Binds a gRPC server with the agent's credentials; `enlarge` applies the connection window. */
async function bind(enlarge: boolean): Promise<{ port: number; enlarged: number }> {
  const server = new Server();
  t.teardown(() => server.forceShutdown());
  const credentials = createServerCredentials(
    { ca: project.ca, cert: project.server, key: project.serverKey },
    { settings: SERVER_HTTP2_SETTINGS },
  );
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  return { port, enlarged: enlarge ? enlargeConnectionWindows(server) : 0 };
}

/** What a plain HTTP/2 client with the project's client certificate may send before any WINDOW_UPDATE. */
async function windows(port: number): Promise<{ stream: number; connection: number }> {
  const session: ClientHttp2Session = connect(`https://localhost:${port}`, {
    ca: project.ca,
    cert: project.client,
    key: project.clientKey,
  });
  try {
    await once(session, 'remoteSettings');
    // The server's WINDOW_UPDATE for the connection follows its SETTINGS.
    for (let tries = 0; tries < 50 && (session.state.remoteWindowSize ?? 0) <= 65_535; tries++) {
      await sleep(10);
    }
    return {
      stream: session.remoteSettings.initialWindowSize ?? 0,
      connection: session.state.remoteWindowSize ?? 0,
    };
  } finally {
    session.close();
  }
}

t.test('the agent announces a 16 MiB window per stream and per connection', async (t) => {
  const { port, enlarged } = await bind(true);
  t.equal(enlarged, 1, 'the one bound HTTP/2 server got the session listener');
  t.strictSame(await windows(port), {
    stream: RECEIVE_WINDOW_BYTES,
    connection: RECEIVE_WINDOW_BYTES,
  });
});

t.test("without the session listener the connection window stays at HTTP/2's 64 KiB", async (t) => {
  const { port } = await bind(false);
  t.strictSame(await windows(port), { stream: RECEIVE_WINDOW_BYTES, connection: 65_535 });
});

t.test('a server that keeps no http2Servers map is reported, not crashed on', async (t) => {
  t.equal(enlargeConnectionWindows({} as Server), 0);
});
