/**
 * The LivePatch CLI: `livepatch certs init`, `sync`, `logs` and `inject`.
 *
 * @module
 */
export { main } from './cli.js';
export { SyncSession } from './sync/sync-session.js';
export type { SyncOutcome, SyncSessionOptions } from './sync/sync-session.js';
export { BasisStore } from './sync/basis-store.js';
export { connectAgent } from './sync/agent-client.js';
