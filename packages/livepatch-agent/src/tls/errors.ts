/**
 * Errors thrown while setting up LivePatch's mutual-TLS transport.
 *
 * @module
 */
import { VelocityError } from '@velocity/core';
import type { VelocityErrorOptions } from '@velocity/core';

/** Which of the three PEM inputs of the TLS credentials a {@link TlsMaterialError} is about. */
export type TlsMaterialPart = 'ca' | 'cert' | 'key';

/**
 * A CA certificate, certificate or private key given to `createServerCredentials` or
 * `createClientCredentials` cannot be used: it does not parse, the key does not match the certificate,
 * the certificate was not issued by the CA, or it lacks the extended key usage of its role.
 *
 * @remarks The message never contains key material, only OpenSSL's description of the problem.
 */
export class TlsMaterialError extends VelocityError {
  /** The offending input. */
  readonly part: TlsMaterialPart;

  constructor(part: TlsMaterialPart, problem: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_TLS_INVALID_MATERIAL',
      `TLS input "${part}" is unusable: ${problem}. Recreate the certificates with livepatch certs init --force, and pass ca.pem with the ${part === 'ca' ? 'certificate and key' : 'matching certificate and key'} of this side.`,
      options,
    );
    this.part = part;
  }
}
