/**
 * LivePatch's mutual-TLS transport: TLS 1.3-only gRPC credentials for the agent (server) and the CLI
 * (client), both trusting only the project CA.
 *
 * @module
 */
export { createClientCredentials } from './client-credentials.js';
export type { ClientCredentialsOptions } from './client-credentials.js';
export { TlsMaterialError } from './errors.js';
export type { TlsMaterialPart } from './errors.js';
export { createServerCredentials, type ServerCredentialsOptions } from './server-credentials.js';
export { createTlsContext, TLS_VERSION } from './tls-material.js';
export type { TlsMaterial, TlsRole } from './tls-material.js';
