/**
 * File names of the certificates and keys that `livepatch certs init --out DIR` writes into `DIR`.
 *
 * @remarks
 * All files are PEM. Certificates are mode `0644`; private keys are PKCS#8 (`BEGIN PRIVATE KEY`) and mode
 * `0600`. The agent needs `ca.pem`, `server.pem` and `server-key.pem`; the CLI needs `ca.pem`,
 * `client.pem` and `client-key.pem`. `ca-key.pem` is needed only to issue certificates, so it should stay
 * on the developer's machine.
 */
export const CERTIFICATE_FILES = {
  /** The project CA's self-signed certificate: the only trust anchor of both sides. */
  ca: 'ca.pem',
  /** The project CA's private key. */
  caKey: 'ca-key.pem',
  /** The agent's certificate (EKU serverAuth), signed by the CA. */
  server: 'server.pem',
  /** The agent's private key. */
  serverKey: 'server-key.pem',
  /** The CLI's certificate (EKU clientAuth), signed by the CA. */
  client: 'client.pem',
  /** The CLI's private key. */
  clientKey: 'client-key.pem',
} as const;

/** Permission bits of the certificate files. */
export const CERTIFICATE_FILE_MODE = 0o644;

/** Permission bits of the private key files: owner read and write only. */
export const KEY_FILE_MODE = 0o600;

/** Which side of the connection a set of certificates is for. */
export type CertificateRole = 'server' | 'client';

/** The PEM contents one side needs for mutual TLS. */
export interface CertificateBundle {
  /** The project CA certificate (PEM), the only trusted root for the peer's certificate. */
  ca: Buffer;
  /** This side's certificate (PEM). */
  cert: Buffer;
  /** This side's private key (PEM, PKCS#8). */
  key: Buffer;
}
