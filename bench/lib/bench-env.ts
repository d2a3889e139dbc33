/**
 * What several benchmarks share: a git identity for the repositories they make, and free loopback ports.
 *
 * @module
 */
import { createServer, type AddressInfo } from 'node:net';

/** The environment for `git` in a benchmark's repositories: the caller's, with a fixed author and committer. */
export const gitEnv: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@velocity.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@velocity.invalid',
};

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
