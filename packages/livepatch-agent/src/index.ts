/**
 * The LivePatch agent: serves `livepatch.v1.LivePatch` over mutual TLS, applies batches atomically and
 * hot-reloads the app. The protocol, delta, tree and TLS modules are exported as subpaths for the CLI.
 *
 * @module
 */
export { startAgent } from './agent.js';
export type { RunningAgent, StartAgentOptions } from './agent.js';
export { main } from './cli.js';
