/**
 * HTTP/2 flow-control windows of the agent's gRPC server.
 *
 * @module
 */
import type { Http2SecureServer, Http2Server, ServerHttp2Session } from 'node:http2';
import type { Server } from '@grpc/grpc-js';

/**
 * Receive window of the agent, per stream and per connection, in bytes (16 MiB).
 *
 * @remarks
 * Node's HTTP/2 default is 64 KiB for both, so a sender can have only 64 KiB in flight before it waits for a
 * WINDOW_UPDATE: throughput is capped at 64 KiB per round trip. Through one extra loopback hop (the
 * benchmark's counting proxy) an initial sync of 2,003 files and 180 MiB took 8.2 s with the defaults and
 * 5.2 s with this window; over a real network link the difference grows with the round-trip time.
 * Memory stays bounded: the agent reads an Apply stream as fast as it stages it.
 */
export const RECEIVE_WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * The server option grpc-js reads for its HTTP/2 receive window: the client honours it since grpc-js 1.13
 * (grpc/grpc-node#2864); the server side is grpc/grpc-node#3058, not released in 1.14.
 */
export const FLOW_CONTROL_WINDOW_OPTION = 'grpc-node.flow_control_window';

/** The HTTP/2 settings the agent's server announces: {@link RECEIVE_WINDOW_BYTES} per stream. */
export const SERVER_HTTP2_SETTINGS = { initialWindowSize: RECEIVE_WINDOW_BYTES } as const;

/**
 * Raises the connection-level receive window of every HTTP/2 session `server` accepts from now on to
 * {@link RECEIVE_WINDOW_BYTES}. The per-stream window is announced by {@link SERVER_HTTP2_SETTINGS}, passed
 * with the credentials' server options.
 *
 * @privateRemarks
 * grpc-js 1.14 exposes no way to set a server's connection window (grpc/grpc-node#3058 adds one) and no
 * hook on its HTTP/2 sessions. Its bound `http2.Server`s are kept in the `http2Servers` map of the
 * `Server` instance (`src/server.ts`), so each gets a `session` listener calling Node's documented
 * `Http2Session#setLocalWindowSize`. The test for this module binds a real server and checks the window a
 * client sees, so an upgrade that moves the map fails there.
 *
 * @returns how many HTTP/2 servers were given the listener (0 when grpc-js no longer keeps the map, in
 *   which case the defaults apply and the caller should say so)
 */
export function enlargeConnectionWindows(server: Server): number {
  const servers: unknown = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) return 0;
  let count = 0;
  for (const http2Server of servers.keys() as IterableIterator<Http2Server | Http2SecureServer>) {
    http2Server.on('session', (session: ServerHttp2Session) => {
      session.setLocalWindowSize(RECEIVE_WINDOW_BYTES);
    });
    count += 1;
  }
  return count;
}
