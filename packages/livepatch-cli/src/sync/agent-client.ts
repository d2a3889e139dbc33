import { isIP } from 'node:net';
import { makeGenericClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadLivePatchProtocol, type LivePatchClient } from '@velocity/livepatch-agent/protocol';
import {
  createClientCredentials,
  type ClientCredentialsOptions,
} from '@velocity/livepatch-agent/tls';

/** Protocol bytes a client sent and received (serialized messages; TLS and HTTP/2 framing not counted). */
export interface ByteCounter {
  sent: number;
  received: number;
}

/** A connected LivePatch client and its byte counts. */
export interface AgentConnection {
  client: LivePatchClient;
  bytes: ByteCounter;
  close(): void;
}

/**
 * Connects to an agent over mutual TLS (see the agent package's `createClientCredentials`) with a client
 * that counts the bytes of every message it serializes and deserializes.
 *
 * @param address - HOST:PORT of the agent
 * @param tls - the CA, this client's certificate and key, and the name the agent's certificate must carry
 *   when it differs from HOST
 * @throws the TLS module's `TlsMaterialError` when the certificates are unusable
 */
export function connectAgent(address: string, tls: ClientCredentialsOptions): AgentConnection {
  const bytes: ByteCounter = { sent: 0, received: 0 };
  const service = loadLivePatchProtocol().livepatch.v1.LivePatch.service as ServiceDefinition;
  const counted: Record<string, ServiceDefinition[string]> = {};
  for (const [name, method] of Object.entries(service)) {
    counted[name] = {
      ...method,
      requestSerialize: (value: unknown) => {
        const buffer = method.requestSerialize(value);
        bytes.sent += buffer.length;
        return buffer;
      },
      responseDeserialize: (buffer: Buffer) => {
        bytes.received += buffer.length;
        return method.responseDeserialize(buffer) as unknown;
      },
    };
  }
  const Client = makeGenericClientConstructor(counted, 'LivePatch');
  // An IP address is no TLS server name (RFC 6066; Node warns, DEP0123): send a placeholder name and
  // still check the agent's certificate against the address itself.
  const host = address.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  const byAddress = isIP(host) !== 0 && tls.serverName === undefined;
  const client = new Client(
    address,
    createClientCredentials(byAddress ? { ...tls, serverName: host } : tls),
    {
      ...(byAddress ? { 'grpc.ssl_target_name_override': 'livepatch-agent' } : {}),
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
      // Reconnect quickly when the agent restarts.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2000,
    },
  ) as unknown as LivePatchClient;
  // Connect now: the TCP and TLS handshakes then overlap the scan of the source instead of following it.
  client.getChannel().getConnectivityState(true);
  return { client, bytes, close: () => client.close() };
}
