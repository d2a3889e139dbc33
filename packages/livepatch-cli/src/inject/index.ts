/**
 * `livepatch inject`: copy the agent into a running container with the docker CLI and start it.
 *
 * @module
 */
export { injectAgent } from './inject-agent.js';
export type { InjectAgentOptions } from './inject-agent.js';
export { INJECT_LAYOUT, planInject } from './plan-inject.js';
export type { DockerCommand, PlanInjectOptions } from './plan-inject.js';
export { InjectError } from './errors.js';
