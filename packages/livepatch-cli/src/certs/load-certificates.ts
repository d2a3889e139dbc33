import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CERTIFICATE_FILES,
  type CertificateBundle,
  type CertificateRole,
} from './certificate-files.js';
import {
  CertificateFileMissingError,
  CertificateInvalidError,
  KeyFilePermissionsError,
} from './errors.js';

/** Options of {@link loadCertificates}. */
export interface LoadCertificatesOptions {
  /**
   * The time the certificates must be valid at.
   *
   * @defaultValue the current time
   */
  now?: Date;
  /**
   * The platform, which decides whether key file permissions are checked (not on `win32`, where POSIX
   * modes mean nothing).
   *
   * @defaultValue `process.platform`
   */
  platform?: NodeJS.Platform;
}

/** Extended key usage OIDs (RFC 5280 §4.2.1.12). */
const EKU_OID = {
  server: '1.3.6.1.5.5.7.3.1',
  client: '1.3.6.1.5.5.7.3.2',
} as const;

/**
 * Reads and checks what one side of LivePatch's mutual TLS needs from a directory written by
 * `livepatch certs init --out DIR`: `ca.pem` plus `server.pem`/`server-key.pem` or
 * `client.pem`/`client-key.pem`.
 *
 * @remarks
 * Checks everything the handshake would otherwise reject with a vaguer message: each file parses; the
 * CA certificate is a CA; the certificate was issued and signed by it, has the role's extended key usage
 * (serverAuth or clientAuth), matches the key, and is valid at `now`. The private key must not be
 * accessible by group or others (mode `0600` or narrower, as ssh requires): a wider mode is an error, not
 * a warning, because the key authenticates its holder to the agent.
 *
 * @returns the three PEM files' contents, ready for the agent's `createServerCredentials` or
 *   `createClientCredentials`
 * @throws {@link CertificateFileMissingError} when one of the three files does not exist
 * @throws {@link KeyFilePermissionsError} when the key file's mode grants any access to group or others
 * @throws {@link CertificateInvalidError} when a file does not parse or the checks above fail
 */
export async function loadCertificates(
  dir: string,
  role: CertificateRole,
  options: LoadCertificatesOptions = {},
): Promise<CertificateBundle> {
  const caPath = join(dir, CERTIFICATE_FILES.ca);
  const certPath = join(
    dir,
    role === 'server' ? CERTIFICATE_FILES.server : CERTIFICATE_FILES.client,
  );
  const keyPath = join(
    dir,
    role === 'server' ? CERTIFICATE_FILES.serverKey : CERTIFICATE_FILES.clientKey,
  );
  const checkMode = (options.platform ?? process.platform) !== 'win32';
  // Read side by side, but report problems in file order (CA, certificate, key), whichever read failed first.
  const reads = await Promise.allSettled([
    readPem(caPath, dir, false),
    readPem(certPath, dir, false),
    readPem(keyPath, dir, checkMode),
  ]);
  const [ca, cert, key] = reads.map((read) => {
    if (read.status === 'rejected') throw read.reason;
    return read.value;
  }) as [Buffer, Buffer, Buffer];

  const caCert = parseCertificate(caPath, ca);
  if (!caCert.ca) {
    throw new CertificateInvalidError(caPath, 'it is not a CA certificate');
  }
  const leaf = parseCertificate(certPath, cert);
  if (!leaf.checkIssued(caCert) || !leaf.verify(caCert.publicKey)) {
    throw new CertificateInvalidError(certPath, `it was not issued by the CA in "${caPath}"`);
  }
  if (!(leaf.keyUsage ?? []).includes(EKU_OID[role])) {
    throw new CertificateInvalidError(
      certPath,
      `it lacks the ${role === 'server' ? 'serverAuth' : 'clientAuth'} extended key usage`,
    );
  }
  if (!leaf.checkPrivateKey(parsePrivateKey(keyPath, key))) {
    throw new CertificateInvalidError(keyPath, `it is not the private key of "${certPath}"`);
  }
  const now = options.now ?? new Date();
  for (const [path, x509] of [
    [caPath, caCert],
    [certPath, leaf],
  ] as const) {
    if (now < new Date(x509.validFrom) || now > new Date(x509.validTo)) {
      throw new CertificateInvalidError(
        path,
        `it is valid only from ${x509.validFrom} to ${x509.validTo}`,
      );
    }
  }
  return { ca, cert, key };
}

/** Reads a PEM file; for a key, first checks through the same descriptor that only its owner can access it. */
async function readPem(path: string, dir: string, checkMode: boolean): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CertificateFileMissingError(path, dir, { cause: error });
    }
    throw error;
  }
  try {
    if (checkMode) {
      const { mode } = await handle.stat();
      if ((mode & 0o077) !== 0) {
        throw new KeyFilePermissionsError(path, mode);
      }
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Parses a PEM certificate. */
function parseCertificate(path: string, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new CertificateInvalidError(path, 'it is not a PEM certificate', { cause: error });
  }
}

/** Parses a PEM private key; the cause never holds key material (OpenSSL's message only). */
function parsePrivateKey(path: string, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new CertificateInvalidError(path, 'it is not an unencrypted PEM private key', {
      cause: error,
    });
  }
}
