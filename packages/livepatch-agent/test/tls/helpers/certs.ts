import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Test } from 'tap';
// The CLI owns `livepatch certs init`; the tests use it so the agent is tested against exactly what users
// generate (STYLE: "generate mTLS certs per run with our own certs init"). Test-only: the agent package
// does not depend on the CLI at run time.
import { initCertificates } from '../../../../livepatch-cli/src/certs/index.js';

/** The six PEM files of one project, as `livepatch certs init` wrote them. */
export interface ProjectCertificates {
  dir: string;
  ca: Buffer;
  caKey: Buffer;
  server: Buffer;
  serverKey: Buffer;
  client: Buffer;
  clientKey: Buffer;
}

let projects = 0;

/**
 * Runs `certs init` into a fresh directory under the test's fixture directory and reads the files back.
 * (Not `t.testdir()` itself: calling it again in the same test would empty the directory.)
 */
export async function createProjectCertificates(
  t: Test,
  hosts: readonly string[] = [],
): Promise<ProjectCertificates> {
  projects += 1;
  const dir = join(t.testdirName, `project-${projects}`);
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await initCertificates({ outDir: dir, hosts });
  const read = (name: string): Promise<Buffer> => readFile(join(dir, name));
  const [ca, caKey, server, serverKey, client, clientKey] = await Promise.all(
    ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem', 'client.pem', 'client-key.pem'].map(
      read,
    ),
  );
  return {
    dir,
    ca: ca as Buffer,
    caKey: caKey as Buffer,
    server: server as Buffer,
    serverKey: serverKey as Buffer,
    client: client as Buffer,
    clientKey: clientKey as Buffer,
  };
}
