import { posix } from 'node:path';

/** Options of {@link planInject}. */
export interface PlanInjectOptions {
  /** Container name or id. */
  container: string;
  /**
   * A local directory laid out as the agent expects it inside the container (see {@link INJECT_LAYOUT}):
   * the executable and the server's certificate files.
   */
  stageDir: string;
  /**
   * Where the stage goes inside the container (absolute). It must not exist yet: `docker cp` then creates
   * it as a copy of the stage (an existing directory would receive the stage inside it).
   */
  installDir: string;
  /** The directory inside the container the agent mirrors into (absolute). */
  root: string;
  /**
   * Address the agent listens on inside the container, as HOST:PORT. Publishing it from the container
   * (`docker run -p 127.0.0.1:7420:7420`) needs a non-loopback address inside, so the caller names it.
   */
  listen: string;
  /** Arguments after `--restart --`, to have the agent supervise the app. */
  restart?: readonly string[] | undefined;
}

/** One `docker` invocation: its arguments, without `docker` itself. */
export type DockerCommand = readonly string[];

/** What the stage directory holds, relative to it. */
export const INJECT_LAYOUT = {
  agent: 'livepatch-agent',
  certs: 'certs',
  /** The server's files from `certs init`; the CA key and the client's key never leave the machine. */
  certFiles: ['ca.pem', 'server.pem', 'server-key.pem'],
} as const;

/**
 * The `docker` commands that copy the agent into a running container and start it there: one `docker cp`
 * of the stage directory, then `docker exec -d` of the agent.
 *
 * @remarks
 * Only `docker cp` and `docker exec` are used, so the app image needs nothing of its own (no shell, tar or
 * mkdir): the engine unpacks the copy, and the agent is a single executable.
 *
 * @see {@link https://docs.docker.com/reference/cli/docker/container/cp/}
 */
export function planInject(options: PlanInjectOptions): DockerCommand[] {
  const agent = posix.join(options.installDir, INJECT_LAYOUT.agent);
  return [
    ['cp', options.stageDir, `${options.container}:${options.installDir}`],
    [
      'exec',
      '-d',
      options.container,
      agent,
      '--root',
      options.root,
      '--listen',
      options.listen,
      '--certs',
      posix.join(options.installDir, INJECT_LAYOUT.certs),
      ...(options.restart === undefined ? [] : ['--restart', '--', ...options.restart]),
    ],
  ];
}
