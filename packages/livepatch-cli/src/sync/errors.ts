import { status } from '@grpc/grpc-js';
import { VelocityError } from '@velocity/core';

/** A call to the agent failed: it is unreachable, refused the handshake, or refused a batch. */
export class AgentCallError extends VelocityError {
  /** The gRPC status code. */
  readonly grpcCode: number;

  /**
   * @param agent - HOST:PORT of the agent
   * @param cause - the gRPC error (`code`, `details`)
   */
  constructor(agent: string, cause: Error & { code?: number; details?: string }) {
    const code = cause.code ?? status.UNKNOWN;
    const details = cause.details ?? cause.message;
    super(
      'LIVEPATCH_AGENT_CALL_FAILED',
      code === Number(status.UNAVAILABLE)
        ? `Cannot reach the agent at "${agent}" (${details}). Check that livepatch-agent runs there, that the port is reachable, and that both sides use certificates from the same livepatch certs init.`
        : `The agent at "${agent}" refused the sync (${status[code] ?? code}: ${details}).`,
      { cause },
    );
    this.name = 'AgentCallError';
    this.grpcCode = code;
  }
}
