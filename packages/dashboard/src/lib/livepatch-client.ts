import 'server-only';
import {
  connectAgent,
  loadCertificates,
  type AgentConnection,
} from '@velocity/livepatch-cli/client';

/** One of `dashboard.agents`, with its certificate directory made absolute. */
export interface ConfiguredAgent {
  /** The name pages show and URLs carry. */
  readonly name: string;
  /** HOST:PORT of the agent. */
  readonly address: string;
  /** Absolute directory holding `ca.pem`, `client.pem` and `client-key.pem` (from `livepatch certs init`). */
  readonly certsDir: string;
}

/** The generated gRPC client of `livepatch.v1.LivePatch`. */
export type LivePatchClient = AgentConnection['client'];

// One channel per agent and server process; survives Next's module re-evaluation in dev.
const shared = globalThis as {
  velocityDashboardAgents?: Map<string, Promise<AgentConnection>> | undefined;
};

/**
 * The agent's client over mutual TLS 1.3, made on first use from the certificates in its directory and
 * kept for the process; gRPC reconnects it by itself when the agent restarts.
 *
 * @remarks A failed certificate load is not kept, so fixing the files is enough.
 * @throws livepatch-cli's `CertificateFileMissingError`, `KeyFilePermissionsError` or
 *   `CertificateInvalidError` when the certificate directory is unusable
 */
export function agentClient(agent: ConfiguredAgent): Promise<LivePatchClient> {
  const connections = (shared.velocityDashboardAgents ??= new Map<
    string,
    Promise<AgentConnection>
  >());
  const key = JSON.stringify([agent.name, agent.address, agent.certsDir]);
  let connection = connections.get(key);
  if (connection === undefined) {
    connection = loadCertificates(agent.certsDir, 'client').then((bundle) =>
      connectAgent(agent.address, bundle),
    );
    connections.set(key, connection);
    void connection.catch(() => connections.delete(key));
  }
  return connection.then(({ client }) => client);
}
