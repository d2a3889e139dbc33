import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { createTlsContext, type TlsMaterial } from './tls-material.js';

/** Options of {@link createClientCredentials}. */
export interface ClientCredentialsOptions extends TlsMaterial {
  /**
   * The name the agent's certificate must be valid for (a DNS name or IP address in its subjectAltName),
   * when it differs from the host of the channel's target, e.g. when connecting through a port forward.
   *
   * @defaultValue the host of the channel's target address
   */
  serverName?: string;
}

/**
 * Creates the CLI's gRPC channel credentials for the agent: mutual TLS, TLS 1.3 only, presenting the
 * client certificate and accepting only an agent certificate issued by the project CA for the host name.
 *
 * @remarks
 * The secure context trusts only `ca` (it replaces Node's default roots) and has
 * `minVersion`/`maxVersion` `'TLSv1.3'`. grpc-js's `createFromSecureContext` keeps that context as is, and
 * it leaves `rejectUnauthorized` at Node's default of true, so the handshake fails when:
 * - the agent's chain does not verify against `ca`;
 * - its certificate lacks the serverAuth extended key usage (OpenSSL's `ssl_server` purpose for clients);
 * - `checkServerIdentity` (Node's RFC 6125 check: IP SANs for an IP, DNS SANs otherwise) does not match
 *   `serverName`, or the target's host when it is not set.
 * A failed handshake makes the call fail with `UNAVAILABLE`.
 *
 * @see {@link https://nodejs.org/api/tls.html#tlscheckserveridentityhostname-cert | tls.checkServerIdentity}
 * @throws {@link TlsMaterialError} when the CA, certificate or key is unusable, or the certificate lacks
 *   the clientAuth extended key usage
 */
export function createClientCredentials(options: ClientCredentialsOptions): ChannelCredentials {
  const context = createTlsContext(options, 'client');
  const { serverName } = options;
  return credentials.createFromSecureContext(context, {
    rejectUnauthorized: true,
    checkServerIdentity: (host: string, cert: PeerCertificate) =>
      checkServerIdentity(serverName ?? host, cert),
  });
}
