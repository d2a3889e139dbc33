import { createSecureContext, type SecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { TlsMaterialError } from './errors.js';

/** The PEM inputs of one side of LivePatch's mutual TLS, as `livepatch certs init` writes them. */
export interface TlsMaterial {
  /** The project CA certificate (`ca.pem`): the only root the peer's certificate may chain to. */
  ca: string | Buffer;
  /** This side's certificate (`server.pem` or `client.pem`), issued by `ca`. */
  cert: string | Buffer;
  /** This side's private key (`server-key.pem` or `client-key.pem`), unencrypted PEM. */
  key: string | Buffer;
}

/** Which side of the connection a {@link TlsMaterial} is for. */
export type TlsRole = 'server' | 'client';

/**
 * The only TLS version LivePatch speaks, for both `minVersion` and `maxVersion`.
 *
 * @remarks
 * TLS 1.3 (RFC 8446) encrypts the certificates, has only AEAD cipher suites with forward secrecy, and
 * removes renegotiation; both ends are ours, so there is nothing older to stay compatible with.
 */
export const TLS_VERSION = 'TLSv1.3';

/** Extended key usage OIDs (RFC 5280 §4.2.1.12) each role's certificate must carry. */
const EKU_OID: Readonly<Record<TlsRole, string>> = {
  server: '1.3.6.1.5.5.7.3.1',
  client: '1.3.6.1.5.5.7.3.2',
};

const EKU_NAME: Readonly<Record<TlsRole, string>> = {
  server: 'serverAuth',
  client: 'clientAuth',
};

/**
 * Checks one side's TLS material and builds its TLS 1.3-only secure context.
 *
 * @remarks
 * Catches at start-up what would otherwise surface only as a failed handshake on the peer: the three
 * inputs parse, the key matches the certificate (OpenSSL checks this in `createSecureContext`), the
 * certificate was issued and signed by `ca`, and it carries the extended key usage of `role`, which the
 * peer's OpenSSL requires (X.509 purpose `sslserver`/`sslclient`).
 *
 * @throws {@link TlsMaterialError} when any of these checks fails
 */
export function createTlsContext(material: TlsMaterial, role: TlsRole): SecureContext {
  const ca = parseCertificate('ca', material.ca);
  if (!ca.ca) {
    throw new TlsMaterialError('ca', 'it is not a CA certificate');
  }
  const cert = parseCertificate('cert', material.cert);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    throw new TlsMaterialError('cert', 'it was not issued by the given CA');
  }
  if (!(cert.keyUsage ?? []).includes(EKU_OID[role])) {
    throw new TlsMaterialError(
      'cert',
      `it lacks the ${EKU_NAME[role]} extended key usage a ${role} certificate needs`,
    );
  }
  try {
    return createSecureContext({
      ca: material.ca,
      cert: material.cert,
      key: material.key,
      minVersion: TLS_VERSION,
      maxVersion: TLS_VERSION,
    });
  } catch (error) {
    // OpenSSL's messages name the problem ("key values mismatch", "bad decrypt") without key material.
    throw new TlsMaterialError('key', describe(error), { cause: error });
  }
}

/** Parses a PEM certificate. */
function parseCertificate(part: 'ca' | 'cert', pem: string | Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new TlsMaterialError(part, `it is not a PEM certificate (${describe(error)})`, {
      cause: error,
    });
  }
}

/** The message of an error thrown by node:crypto or node:tls. */
function describe(error: unknown): string {
  /* c8 ignore next -- node:crypto and node:tls throw only Error instances */
  return error instanceof Error ? error.message : String(error);
}
