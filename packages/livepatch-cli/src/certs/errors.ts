/**
 * Errors thrown while creating and loading LivePatch's mutual-TLS certificates.
 *
 * @module
 */
import { EXIT_CODES, VelocityError } from '@velocity/core';
import type { VelocityErrorOptions } from '@velocity/core';

/** A `--host` value is neither an IP address nor a valid DNS host name. Exit code 2. */
export class InvalidHostError extends VelocityError {
  /** The rejected value, as given. */
  readonly host: string;

  constructor(host: string, reason: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_CERTS_INVALID_HOST',
      `Host "${host}" is not a valid IP address or DNS name: ${reason}. Pass an IP address or a name such as "agent.internal" to --host.`,
      { ...options, exitCode: EXIT_CODES.usage },
    );
    this.host = host;
  }
}

/** An option of `certs init` is out of range (validity, key size, date). Exit code 2. */
export class InvalidCertificateOptionError extends VelocityError {
  /** The option's name, e.g. `keyBits`. */
  readonly option: string;

  constructor(option: string, value: unknown, remedy: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_CERTS_INVALID_OPTION',
      `Option ${option} "${String(value)}" is invalid. ${remedy}`,
      { ...options, exitCode: EXIT_CODES.usage },
    );
    this.option = option;
  }
}

/** `certs init` would overwrite certificate or key files that already exist. */
export class CertificatesExistError extends VelocityError {
  /** Absolute paths of the files that already exist. */
  readonly paths: readonly string[];

  constructor(paths: readonly string[], options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_CERTS_EXIST',
      `Certificate files already exist: ${paths.map((path) => `"${path}"`).join(', ')}. Pass --force to replace them (clients and agents holding the old ones stop working), or choose another --out.`,
      options,
    );
    this.paths = paths;
  }
}

/** A certificate or key file that `loadCertificates` needs does not exist. */
export class CertificateFileMissingError extends VelocityError {
  /** Absolute path of the missing file. */
  readonly path: string;

  constructor(path: string, dir: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_CERTS_MISSING',
      `Certificate file "${path}" not found. Run livepatch certs init --out ${JSON.stringify(dir)} to create the project's certificates.`,
      options,
    );
    this.path = path;
  }
}

/** A private key file can be read or written by users other than its owner. */
export class KeyFilePermissionsError extends VelocityError {
  /** Absolute path of the key file. */
  readonly path: string;
  /** The file's permission bits, e.g. `0o644`. */
  readonly mode: number;

  constructor(path: string, mode: number, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_CERTS_KEY_PERMISSIONS',
      `Private key "${path}" is accessible by other users (mode ${formatMode(mode)}). Run chmod 600 ${JSON.stringify(path)}.`,
      options,
    );
    this.path = path;
    this.mode = mode;
  }
}

/**
 * A certificate or key file exists but cannot be used: it does not parse, the key does not match the
 * certificate, the certificate was not issued by the project CA, or it is expired or not yet valid.
 */
export class CertificateInvalidError extends VelocityError {
  /** Absolute path of the offending file. */
  readonly path: string;

  constructor(path: string, problem: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_CERTS_INVALID',
      `Certificate file "${path}" is unusable: ${problem}. Recreate the certificates with livepatch certs init --force.`,
      options,
    );
    this.path = path;
  }
}

/** Formats permission bits as `0644`. */
function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}
