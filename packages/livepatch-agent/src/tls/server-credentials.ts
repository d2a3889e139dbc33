import type { Settings } from 'node:http2';
import { ServerCredentials } from '@grpc/grpc-js';
import { createTlsContext, TLS_VERSION, type TlsMaterial } from './tls-material.js';

/**
 * grpc-js server credentials that speak TLS 1.3 only and require a client certificate.
 *
 * @privateRemarks
 * `ServerCredentials.createSsl` (grpc-js 1.14) accepts no TLS version and exposes no other secure context
 * option, and there is no server counterpart of `credentials.createFromSecureContext`. The base class's
 * public constructor, however, takes the server constructor options and the secure context options that
 * grpc-js spreads, in that order, into `http2.createSecureServer` (`Server#createHttp2Server` in
 * `src/server.ts`), and `createSsl` itself is a thin subclass doing the same. So this subclass is the
 * supported seam; `_equals` is the one abstract member to provide. The test for this module binds a real
 * server and proves each option takes effect.
 */
class MutualTlsServerCredentials extends ServerCredentials {
  constructor(material: TlsMaterial, settings: Settings | undefined) {
    super(
      // `rejectUnauthorized` is Node's default whenever `requestCert` is set; it is spelled out because the
      // whole point is that an unverified client never gets a connection.
      {
        requestCert: true,
        rejectUnauthorized: true,
        ...(settings === undefined ? {} : { settings }),
      },
      {
        ca: material.ca,
        cert: material.cert,
        key: material.key,
        minVersion: TLS_VERSION,
        maxVersion: TLS_VERSION,
      },
    );
  }

  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}

/** Options of {@link createServerCredentials}. */
export interface ServerCredentialsOptions {
  /**
   * HTTP/2 settings the server announces (e.g. `initialWindowSize`), passed to `http2.createSecureServer`
   * with the TLS options. @defaultValue Node's
   */
  settings?: Settings;
}

/**
 * Creates the agent's gRPC server credentials: mutual TLS, TLS 1.3 only, and a client certificate issued
 * by the project CA for client authentication, all enforced in the handshake.
 *
 * @remarks
 * What is refused, and where (each before any HTTP/2 frame is read, so no handler runs):
 * - TLS 1.2 and older, and plaintext: `minVersion: 'TLSv1.3'` makes OpenSSL answer a lower ClientHello
 *   with a `protocol_version` alert; an HTTP/2 preface is not a ClientHello at all.
 * - No client certificate: `requestCert` plus `rejectUnauthorized` make OpenSSL demand one
 *   (`SSL_VERIFY_FAIL_IF_NO_PEER_CERT`), failing with a `certificate_required` alert.
 * - A certificate from another CA: `ca` replaces Node's default roots, so only the project CA is
 *   trusted; chain verification fails and Node destroys the socket before `secureConnection`.
 * - A certificate without the clientAuth extended key usage (e.g. the agent's own `server.pem`): a server
 *   verifies client chains with OpenSSL's `ssl_client` purpose (`X509_STORE_CTX_set_default` in
 *   `ssl_verify_cert_chain`), whose check rejects a leaf whose extendedKeyUsage lacks clientAuth
 *   (`X509_V_ERR_INVALID_PURPOSE`), so no extra check is needed; the test proves it.
 *
 * In TLS 1.3 the client sends its certificate after the server's Finished, so for the last two cases the
 * client's side of the handshake completes before the server verifies and hangs up without an alert; the
 * client sees the connection fail (grpc-js: `UNAVAILABLE`, "Failed to connect"), never a response.
 *
 * @see {@link https://github.com/openssl/openssl/blob/master/ssl/ssl_cert.c | OpenSSL ssl_verify_cert_chain}
 * @see {@link https://nodejs.org/api/tls.html#tlscreateserveroptions-secureconnectionlistener | tls.createServer}
 * @throws {@link TlsMaterialError} when the CA, certificate or key is unusable, or the certificate lacks
 *   the serverAuth extended key usage
 */
export function createServerCredentials(
  material: TlsMaterial,
  options: ServerCredentialsOptions = {},
): ServerCredentials {
  // Validate now, so a bad file is reported as a typed error naming it rather than as an OpenSSL error
  // from `bindAsync`. The context itself is discarded: grpc-js hands options, not a context, to http2.
  createTlsContext(material, 'server');
  return new MutualTlsServerCredentials(material, options.settings);
}
