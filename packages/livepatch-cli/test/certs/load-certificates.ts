import { chmod, copyFile, cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  CERTIFICATE_FILES,
  CertificateFileMissingError,
  CertificateInvalidError,
  initCertificates,
  KeyFilePermissionsError,
  loadCertificates,
} from '../../src/certs/index.js';

const NOW = new Date('2030-01-01T00:00:00Z');

let projects = 0;

/**
 * A fresh directory of certificates issued at NOW, inside the test's directory (which `t.testdir()`
 * creates once; calling it again would empty it).
 */
async function project(t: Test): Promise<string> {
  projects += 1;
  const dir = join(t.testdirName, `project-${projects}`);
  await initCertificates({ outDir: dir, hosts: [], now: NOW });
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const shared = await project(t);
const other = await project(t);

/** A copy of `shared` to damage; copying keeps the modes and is much faster than new RSA keys. */
async function copyOfShared(t: Test): Promise<string> {
  projects += 1;
  const dir = join(t.testdirName, `project-${projects}`);
  await cp(shared, dir, { recursive: true });
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('loads the files of each role', async (t) => {
  for (const role of ['server', 'client'] as const) {
    const bundle = await loadCertificates(shared, role, { now: NOW });
    t.strictSame(bundle, {
      ca: await readFile(join(shared, CERTIFICATE_FILES.ca)),
      cert: await readFile(join(shared, `${role}.pem`)),
      key: await readFile(join(shared, `${role}-key.pem`)),
    });
  }
  const current = t.testdir();
  await initCertificates({ outDir: current, hosts: [] });
  t.ok(await loadCertificates(current, 'client'), 'checked against the current time by default');
});

t.test('a missing file says how to create it', async (t) => {
  const dir = t.testdir();
  const error = await t.rejects(loadCertificates(dir, 'client'), CertificateFileMissingError);
  t.match(error, {
    code: 'LIVEPATCH_CERTS_MISSING',
    exitCode: 1,
    path: join(dir, 'ca.pem'),
    message: `Certificate file "${join(dir, 'ca.pem')}" not found. Run livepatch certs init --out ${JSON.stringify(dir)} to create the project's certificates.`,
  });
  const partial = await copyOfShared(t);
  await rm(join(partial, CERTIFICATE_FILES.serverKey));
  await t.rejects(loadCertificates(partial, 'server'), {
    name: 'CertificateFileMissingError',
    path: join(partial, CERTIFICATE_FILES.serverKey),
  });
});

t.test('a key readable by others is an error, except on Windows', async (t) => {
  const dir = await copyOfShared(t);
  const keyPath = join(dir, CERTIFICATE_FILES.clientKey);
  await chmod(keyPath, 0o640);
  const error = await t.rejects(
    loadCertificates(dir, 'client', { now: NOW }),
    KeyFilePermissionsError,
  );
  t.match(error, {
    code: 'LIVEPATCH_CERTS_KEY_PERMISSIONS',
    path: keyPath,
    message: `Private key "${keyPath}" is accessible by other users (mode 0640). Run chmod 600 ${JSON.stringify(keyPath)}.`,
  });
  t.equal((error as KeyFilePermissionsError).mode & 0o777, 0o640);
  t.ok(await loadCertificates(dir, 'client', { now: NOW, platform: 'win32' }));
  await chmod(keyPath, 0o400);
  t.ok(await loadCertificates(dir, 'client', { now: NOW }), '0400 is fine');
  t.ok(await loadCertificates(dir, 'server', { now: NOW }), 'only the role key is checked');
});

t.test('unusable files are named with the problem', async (t) => {
  const cases: [string, (dir: string) => Promise<void>, string, RegExp][] = [
    [
      'a CA that is not PEM',
      (dir) => writeFile(join(dir, 'ca.pem'), 'junk'),
      'ca.pem',
      /it is not a PEM certificate/,
    ],
    [
      'a leaf certificate as the CA',
      (dir) => copyFile(join(dir, 'server.pem'), join(dir, 'ca.pem')),
      'ca.pem',
      /it is not a CA certificate/,
    ],
    [
      'a certificate that is not PEM',
      (dir) => writeFile(join(dir, 'client.pem'), 'junk'),
      'client.pem',
      /it is not a PEM certificate/,
    ],
    [
      'a certificate from another CA',
      (dir) => copyFile(join(other, 'client.pem'), join(dir, 'client.pem')),
      'client.pem',
      /it was not issued by the CA in ".*ca\.pem"/,
    ],
    [
      'the server certificate as the client certificate',
      async (dir) => {
        await copyFile(join(dir, 'server.pem'), join(dir, 'client.pem'));
        await copyFile(join(dir, 'server-key.pem'), join(dir, 'client-key.pem'));
      },
      'client.pem',
      /it lacks the clientAuth extended key usage/,
    ],
    [
      'a certificate without extended key usage',
      async (dir) => {
        await copyFile(join(dir, 'ca.pem'), join(dir, 'client.pem'));
        await copyFile(join(dir, 'ca-key.pem'), join(dir, 'client-key.pem'));
      },
      'client.pem',
      /it lacks the clientAuth extended key usage/,
    ],
    [
      'the key of another certificate',
      (dir) => copyFile(join(dir, 'ca-key.pem'), join(dir, 'client-key.pem')),
      'client-key.pem',
      /it is not the private key of ".*client\.pem"/,
    ],
    [
      'a key that is not PEM',
      (dir) => writeFile(join(dir, 'client-key.pem'), 'junk', { mode: 0o600 }),
      'client-key.pem',
      /it is not an unencrypted PEM private key/,
    ],
  ];
  for (const [name, damage, file, problem] of cases) {
    const dir = await copyOfShared(t);
    await damage(dir);
    const error = await t.rejects(
      loadCertificates(dir, 'client', { now: NOW }),
      CertificateInvalidError,
      name,
    );
    t.match(
      error,
      {
        code: 'LIVEPATCH_CERTS_INVALID',
        path: join(dir, file),
        message: problem,
      },
      name,
    );
    t.match(error, { message: /Recreate the certificates with livepatch certs init --force\.$/ });
  }
  const serverError = await t.rejects(
    (async () => {
      const dir = await copyOfShared(t);
      await copyFile(join(dir, 'client.pem'), join(dir, 'server.pem'));
      await copyFile(join(dir, 'client-key.pem'), join(dir, 'server-key.pem'));
      return loadCertificates(dir, 'server', { now: NOW });
    })(),
  );
  t.match(serverError, { message: /it lacks the serverAuth extended key usage/ });
});

t.test('certificates outside their validity are refused', async (t) => {
  await t.rejects(loadCertificates(shared, 'client', { now: new Date('2040-01-01T00:00:00Z') }), {
    name: 'CertificateInvalidError',
    path: join(shared, 'ca.pem'),
    message: /it is valid only from Dec 31 23:55:00 2029 GMT to Jan {2}1 00:00:00 2031 GMT/,
  });
  await t.rejects(loadCertificates(shared, 'server', { now: new Date('2029-12-31T23:50:00Z') }), {
    name: 'CertificateInvalidError',
  });
});

t.test('other file system errors pass through', async (t) => {
  const file = join(t.testdir(), 'file');
  await writeFile(file, '');
  await t.rejects(loadCertificates(file, 'client'), { code: 'ENOTDIR' });
});
