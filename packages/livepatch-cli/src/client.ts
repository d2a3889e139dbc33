/**
 * Talking to an agent from another program (the dashboard): the mutual-TLS client and the loader of the
 * certificate files `livepatch certs init` writes, without the CLI's commands, watcher and sync code.
 * Imported as `@velocity/livepatch-cli/client`.
 *
 * @module
 */
export { connectAgent } from './sync/agent-client.js';
export type { AgentConnection } from './sync/agent-client.js';
export { loadCertificates } from './certs/load-certificates.js';
export type { CertificateBundle } from './certs/certificate-files.js';
