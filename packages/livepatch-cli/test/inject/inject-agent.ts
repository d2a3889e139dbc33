import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@velocity/core';
import t from 'tap';
import { injectAgent, InjectError, planInject } from '../../src/inject/index.js';

const logger = createLogger({ destination: { write: () => true }, level: 'silent' });

/**
 * A stand-in `docker` (there is no Docker engine on these machines): it records each call's arguments
 * and, for `cp`, the staged files it was given and their modes, then exits with `FAKE_DOCKER_EXIT`.
 */
function fakeDocker(dir: string): { path: string; calls: () => string[] } {
  const path = join(dir, 'docker');
  const log = join(dir, 'calls.log');
  writeFileSync(
    path,
    `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
let line = JSON.stringify(args);
if (args[0] === 'cp') {
  const stage = args[1];
  const files = [];
  const walk = (dir) => { for (const name of fs.readdirSync(dir)) { const p = path.join(dir, name); const s = fs.statSync(p); if (s.isDirectory()) walk(p); else files.push(path.relative(stage, p) + ':' + (s.mode & 0o777).toString(8)); } };
  walk(stage);
  line += ' ' + JSON.stringify(files.sort());
}
fs.appendFileSync(${JSON.stringify(log)}, line + '\\n');
if (process.env.FAKE_DOCKER_EXIT) { process.stderr.write('Error response from daemon: No such container: web\\n'); process.exit(Number(process.env.FAKE_DOCKER_EXIT)); }
`,
  );
  chmodSync(path, 0o755);
  return { path, calls: () => readFileSync(log, 'utf8').trim().split('\n') };
}

function certsDir(dir: string): string {
  for (const file of ['ca.pem', 'server.pem', 'server-key.pem', 'ca-key.pem', 'client-key.pem']) {
    writeFileSync(join(dir, file), `${file}\n`);
  }
  writeFileSync(join(dir, 'agent'), 'binary\n');
  return dir;
}

t.test('planInject: one docker cp of the stage, then docker exec -d of the agent', async (t) => {
  t.strictSame(
    planInject({
      container: 'web',
      stageDir: '/tmp/stage',
      installDir: '/tmp/livepatch-ab12',
      root: '/app',
      listen: '0.0.0.0:7420',
      restart: ['node', 'server.js'],
    }),
    [
      ['cp', '/tmp/stage', 'web:/tmp/livepatch-ab12'],
      [
        'exec',
        '-d',
        'web',
        '/tmp/livepatch-ab12/livepatch-agent',
        '--root',
        '/app',
        '--listen',
        '0.0.0.0:7420',
        '--certs',
        '/tmp/livepatch-ab12/certs',
        '--restart',
        '--',
        'node',
        'server.js',
      ],
    ],
  );
});

t.test('injectAgent stages the agent and only the server files, then runs docker', async (t) => {
  const dir = t.testdir();
  const docker = fakeDocker(dir);
  const certs = certsDir(dir);
  const installDir = await injectAgent({
    container: 'web',
    agentBinary: join(certs, 'agent'),
    certsDir: certs,
    root: '/app',
    listen: '0.0.0.0:7420',
    docker: docker.path,
    logger,
  });
  t.match(installDir, /^\/tmp\/livepatch-[0-9a-f]{8}$/);
  const [cp, exec] = docker.calls();
  t.match(cp, `["cp",`);
  t.match(
    cp,
    `${JSON.stringify(['certs/ca.pem:644', 'certs/server-key.pem:600', 'certs/server.pem:644', 'livepatch-agent:755'])}`,
    'the CA key and the client key stay on this machine',
  );
  t.equal(
    exec,
    JSON.stringify([
      'exec',
      '-d',
      'web',
      `${installDir}/livepatch-agent`,
      '--root',
      '/app',
      '--listen',
      '0.0.0.0:7420',
      '--certs',
      `${installDir}/certs`,
    ]),
  );
});

t.test('a failing docker command is an InjectError quoting docker', async (t) => {
  const dir = t.testdir();
  const docker = fakeDocker(dir);
  const certs = certsDir(dir);
  const options = {
    container: 'web',
    agentBinary: join(certs, 'agent'),
    certsDir: certs,
    root: '/app',
    listen: '0.0.0.0:7420',
    docker: docker.path,
    logger,
  };
  await t.rejects(injectAgent({ ...options, env: { ...process.env, FAKE_DOCKER_EXIT: '1' } }), {
    name: 'InjectError',
    message: /docker cp.*No such container: web/,
  });
  await t.rejects(injectAgent({ ...options, docker: join(dir, 'missing-docker') }), {
    message: /was not found/,
  });
  await t.rejects(injectAgent({ ...options, agentBinary: join(dir, 'nope') }), InjectError);
});
