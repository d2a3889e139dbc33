import {
  Client,
  Server,
  type ChannelCredentials,
  type ChannelOptions,
  type ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type ServiceError,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { Test } from 'tap';

const ECHO_PATH = '/test.Echo/Echo';
const identity = (bytes: Buffer): Buffer => bytes;

/** A one-method service with raw bytes for messages, so no .proto is needed. */
const ECHO_SERVICE: ServiceDefinition = {
  Echo: {
    path: ECHO_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
    originalName: 'echo',
  },
};

/** A running echo server. */
export interface EchoServer {
  /** `127.0.0.1:<port>`. */
  address: string;
  port: number;
  /** How many times the handler ran. */
  calls: () => number;
  /** The common name of the client certificate of each call that reached the handler. */
  peers: string[];
}

/** Starts an echo server on 127.0.0.1:0 with the given credentials; it is shut down at teardown. */
export async function startEchoServer(
  t: Test,
  credentials: ServerCredentials,
): Promise<EchoServer> {
  const server = new Server();
  let calls = 0;
  const peers: string[] = [];
  server.addService(ECHO_SERVICE, {
    Echo: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
      calls += 1;
      const subject = call.getAuthContext().sslPeerCertificate?.subject;
      peers.push([subject?.CN ?? ''].flat().join(','));
      callback(null, call.request);
    },
  });
  t.teardown(() => server.forceShutdown());
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, port) =>
      error === null ? resolve(port) : reject(error),
    );
  });
  return { address: `127.0.0.1:${port}`, port, calls: () => calls, peers };
}

/** What one echo call ended with. */
export type EchoOutcome = { ok: true; reply: string } | { ok: false; error: ServiceError };

/** Calls Echo once over a new channel, with a 10 s deadline, and closes the channel. */
export async function callEcho(
  target: string,
  credentials: ChannelCredentials,
  options: ChannelOptions = {},
): Promise<EchoOutcome> {
  const client = new Client(target, credentials, options);
  try {
    return await new Promise<EchoOutcome>((resolve) => {
      client.makeUnaryRequest(
        ECHO_PATH,
        identity,
        identity,
        Buffer.from('ping'),
        { deadline: Date.now() + 10_000 },
        (error, reply) => {
          if (error !== null) {
            resolve({ ok: false, error });
          } else {
            resolve({ ok: true, reply: reply?.toString() ?? '' });
          }
        },
      );
    });
  } finally {
    client.close();
  }
}
