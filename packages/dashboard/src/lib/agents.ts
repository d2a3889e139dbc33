import 'server-only';
import { dirname, resolve } from 'node:path';
import { loadDashboardConfig } from './config.js';
import type { ConfiguredAgent } from './livepatch-client.js';
import { healthOf, probeAgent, type AgentHealth, type AgentView } from './livepatch-status.js';
import { scrub } from './scrub.js';

export type {
  AgentBatch,
  AgentHealth,
  AgentLogLine,
  AgentReachability,
  AgentReload,
  AgentStatus,
  AgentView,
} from './livepatch-status.js';

/**
 * The configured LivePatch agents (`dashboard.agents`), in config order.
 *
 * @remarks
 * A relative `certs` starts at the config file's directory when the list comes from the file (as `${file:…}`
 * references do), otherwise at the server's working directory.
 *
 * @throws {@link ConfigError} when the configuration cannot be loaded
 */
export async function configuredAgents(): Promise<ConfiguredAgent[]> {
  const { config, file, sources } = await loadDashboardConfig();
  const base =
    file !== undefined && sources.get('dashboard.agents')?.kind === 'file'
      ? dirname(file)
      : process.cwd();
  return config.dashboard.agents.map(({ name, address, certs }) => ({
    name,
    address,
    certsDir: resolve(base, certs),
  }));
}

/**
 * The configured agent called `name`.
 *
 * @returns `undefined` when no agent has that name
 * @throws {@link ConfigError} when the configuration cannot be loaded
 */
export async function findAgent(name: string): Promise<ConfiguredAgent | undefined> {
  return (await configuredAgents()).find((agent) => agent.name === name);
}

/** The page path of an agent: `/livepatch/<name>`, the name URL-encoded. */
export function agentPath(name: string): string {
  return `/livepatch/${encodeURIComponent(name)}`;
}

/**
 * Every configured agent with its status (one `GetStatus` call each, at most 2 s, in parallel), in config order;
 * scrubbed with the dashboard's secrets.
 *
 * @throws {@link ConfigError} when the configuration cannot be loaded
 */
export async function readAgentViews(): Promise<AgentView[]> {
  return Promise.all((await configuredAgents()).map((agent) => probeAgent(agent, scrub)));
}

/**
 * The agent called `name` with its status, scrubbed.
 *
 * @returns `undefined` when no agent of that name is configured
 * @throws {@link ConfigError} when the configuration cannot be loaded
 */
export async function readAgentView(name: string): Promise<AgentView | undefined> {
  const agent = await findAgent(name);
  return agent === undefined ? undefined : probeAgent(agent, scrub);
}

/**
 * The health of every configured agent, in config order: up with the round trip of a `GetStatus` call (ms), or
 * down with the reason (unreachable, refused handshake, unusable certificates, no answer within 2 s); scrubbed.
 *
 * @throws {@link ConfigError} when the configuration cannot be loaded
 */
export async function readAgentHealth(): Promise<AgentHealth[]> {
  return (await readAgentViews()).map(healthOf);
}
