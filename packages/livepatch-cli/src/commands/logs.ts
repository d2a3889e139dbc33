import { resolve } from 'node:path';
import { UsageError, type CliIo } from '@velocity/core';
import type { LogEvent__Output } from '@velocity/livepatch-agent/protocol';
import { loadCertificates } from '../certs/index.js';
import { connectAgent } from '../sync/agent-client.js';

/**
 * `livepatch logs [--follow] [--json]`: the agent's events and the app's output, as the agent scrubbed
 * them; one line each (`--json`: one JSON object per line).
 *
 * @returns 0 when the stream ends (or is interrupted)
 * @throws {@link UsageError} without `--agent` or `--certs`; gRPC errors when the agent is unreachable
 */
export async function logsCommand(
  io: CliIo,
  options: {
    agent: string | undefined;
    certs: string | undefined;
    follow: boolean;
    json: boolean;
    serverName: string | undefined;
  },
): Promise<number> {
  if (options.agent === undefined || options.certs === undefined) {
    throw new UsageError(
      'Pass --agent HOST:PORT and --certs DIR (or set livepatch.agent and livepatch.certs).',
    );
  }
  const tls = await loadCertificates(resolve(io.cwd, options.certs), 'client');
  const connection = connectAgent(options.agent, {
    ...tls,
    ...(options.serverName === undefined ? {} : { serverName: options.serverName }),
  });
  try {
    const call = connection.client.Logs({ follow: options.follow });
    io.signal.addEventListener('abort', () => call.cancel(), { once: true });
    await new Promise<void>((done, fail) => {
      call.on('data', (event: LogEvent__Output) => {
        io.stdout.write(options.json ? `${JSON.stringify(event)}\n` : `${formatEvent(event)}\n`);
      });
      call.on('end', () => done());
      call.on('error', (error: Error & { code?: number }) => {
        // 1 is CANCELLED: the user interrupted --follow.
        if (error.code === 1) done();
        else fail(error);
      });
    });
    return 0;
  } finally {
    connection.close();
  }
}

function formatEvent(event: LogEvent__Output): string {
  const time = new Date(event.timeMs).toISOString();
  const label = event.stream === 'event' ? `[${event.kind}]` : `[${event.stream}]`;
  return `${time} ${label} ${event.text}`;
}
