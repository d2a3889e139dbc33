/**
 * Module resolution for dep-ci: where a module reference found in a repository file leads.
 *
 * @module
 */
export { createModuleResolver } from './module-resolver.js';
export type { ModuleResolver, ModuleResolverOptions } from './module-resolver.js';
export { nodeBuiltins } from './node-builtins.js';
