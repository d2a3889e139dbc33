/**
 * LivePatch's mutual-TLS certificates: `livepatch certs init` and loading the files it writes.
 *
 * @module
 */
export { CERTIFICATE_FILE_MODE, CERTIFICATE_FILES, KEY_FILE_MODE } from './certificate-files.js';
export type { CertificateBundle, CertificateRole } from './certificate-files.js';
export {
  CertificateFileMissingError,
  CertificateInvalidError,
  CertificatesExistError,
  InvalidCertificateOptionError,
  InvalidHostError,
  KeyFilePermissionsError,
} from './errors.js';
export { initCertificates } from './init-certificates.js';
export type { InitCertificatesOptions, InitCertificatesResult } from './init-certificates.js';
export { loadCertificates } from './load-certificates.js';
export type { LoadCertificatesOptions } from './load-certificates.js';
export { parseHost } from './parse-host.js';
export type { HostName } from './parse-host.js';
