import * as crypto from 'node:crypto';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';
import t from 'tap';
import {
  CERTIFICATE_FILES,
  CertificatesExistError,
  initCertificates,
  InvalidCertificateOptionError,
  InvalidHostError,
} from '../../src/certs/index.js';
import type * as InitCertificatesModule from '../../src/certs/init-certificates.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Reads one of the written files as text. */
const read = (dir: string, name: string): Promise<string> => readFile(join(dir, name), 'utf8');

/** The parsed certificates of a directory written by initCertificates. */
async function readCertificates(dir: string) {
  const [ca, server, client] = await Promise.all(
    [CERTIFICATE_FILES.ca, CERTIFICATE_FILES.server, CERTIFICATE_FILES.client].map((name) =>
      read(dir, name),
    ),
  );
  return {
    ca: new X509Certificate(ca as string),
    server: new X509Certificate(server as string),
    client: new X509Certificate(client as string),
    forgeCa: forge.pki.certificateFromPem(ca as string),
    forgeServer: forge.pki.certificateFromPem(server as string),
    forgeClient: forge.pki.certificateFromPem(client as string),
  };
}

/** The keyIdentifier inside an authorityKeyIdentifier extension (node-forge does not decode it). */
function authorityKeyIdentifier(cert: forge.pki.Certificate): string {
  const extension = cert.getExtension('authorityKeyIdentifier') as { value: string };
  const sequence = forge.asn1.fromDer(extension.value);
  const keyIdentifier = (sequence.value as forge.asn1.Asn1[])[0] as forge.asn1.Asn1;
  return forge.util.bytesToHex(keyIdentifier.value as string);
}

const dir = t.testdir();
const result = await initCertificates({
  outDir: dir,
  hosts: ['agent.internal', '10.0.0.5', 'LOCALHOST', '127.0.0.1', 'fd00::1'],
  now: NOW,
});
const certs = await readCertificates(dir);

t.test('writes the six files, keys 0600 and certificates 0644', async (t) => {
  t.strictSame(
    result.files,
    ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem', 'client.pem', 'client-key.pem'].map(
      (name) => join(dir, name),
    ),
  );
  t.strictSame(
    (await readdir(dir)).sort(),
    Object.values(CERTIFICATE_FILES).sort(),
    'no leftovers',
  );
  const umask = process.umask();
  for (const name of Object.values(CERTIFICATE_FILES)) {
    const { mode } = await stat(join(dir, name));
    const expected = name.endsWith('-key.pem') ? 0o600 : 0o644 & ~umask;
    t.equal(mode & 0o777, expected, `${name} is ${expected.toString(8)}`);
  }
  for (const name of [
    CERTIFICATE_FILES.caKey,
    CERTIFICATE_FILES.serverKey,
    CERTIFICATE_FILES.clientKey,
  ]) {
    const key = createPrivateKey(await read(dir, name));
    t.equal(key.asymmetricKeyType, 'rsa');
    t.equal(key.asymmetricKeyDetails?.modulusLength, 2048, `${name} is RSA 2048`);
  }
});

t.test('the CA is a self-signed CA that can sign only end-entity certificates', async (t) => {
  t.ok(certs.ca.ca);
  t.ok(certs.ca.checkIssued(certs.ca), 'self-issued');
  t.ok(certs.ca.verify(certs.ca.publicKey), 'self-signed');
  t.ok(certs.ca.checkPrivateKey(createPrivateKey(await read(dir, CERTIFICATE_FILES.caKey))));
  t.match(certs.ca.subject, /^CN=LivePatch CA [0-9a-f]{8}\nO=Velocity LivePatch$/);
  t.equal(result.caFingerprint256, certs.ca.fingerprint256);
  t.match(certs.forgeCa.getExtension('basicConstraints'), {
    critical: true,
    cA: true,
    pathLenConstraint: 0,
  });
  t.match(certs.forgeCa.getExtension('keyUsage'), {
    critical: true,
    keyCertSign: true,
    cRLSign: true,
    digitalSignature: false,
    keyEncipherment: false,
  });
  t.equal(certs.forgeCa.getExtension('extKeyUsage'), null, 'no extended key usage');
  t.ok(certs.forgeCa.getExtension('subjectKeyIdentifier'));
});

t.test('the server and client certificates are issued and signed by the CA', async (t) => {
  for (const [name, leaf, key] of [
    ['server', certs.server, CERTIFICATE_FILES.serverKey],
    ['client', certs.client, CERTIFICATE_FILES.clientKey],
  ] as const) {
    t.equal(leaf.ca, false, `${name} is not a CA`);
    t.equal(leaf.checkIssued(certs.ca), true, `${name} issued by the CA`);
    t.ok(leaf.verify(certs.ca.publicKey), `${name} signed by the CA`);
    t.notOk(leaf.verify(leaf.publicKey), `${name} is not self-signed`);
    t.ok(leaf.checkPrivateKey(createPrivateKey(await read(dir, key))), `${name} matches its key`);
  }
  t.equal(certs.server.subject, 'CN=livepatch-agent\nO=Velocity LivePatch');
  t.equal(certs.client.subject, 'CN=livepatch-cli\nO=Velocity LivePatch');
});

t.test('leaf certificates: CA:false, digitalSignature+keyEncipherment, one EKU each', async (t) => {
  t.strictSame(certs.server.keyUsage, [SERVER_AUTH], 'server: serverAuth only');
  t.strictSame(certs.client.keyUsage, [CLIENT_AUTH], 'client: clientAuth only');
  const caKeyId = certs.forgeCa.generateSubjectKeyIdentifier().toHex();
  for (const leaf of [certs.forgeServer, certs.forgeClient]) {
    t.match(leaf.getExtension('basicConstraints'), { critical: true, cA: false });
    t.notOk('pathLenConstraint' in (leaf.getExtension('basicConstraints') as object));
    t.match(leaf.getExtension('keyUsage'), {
      critical: true,
      digitalSignature: true,
      keyEncipherment: true,
      keyCertSign: false,
      cRLSign: false,
    });
    t.match(leaf.getExtension('subjectKeyIdentifier'), {
      subjectKeyIdentifier: leaf.generateSubjectKeyIdentifier().toHex(),
    });
    t.equal(authorityKeyIdentifier(leaf), caKeyId, 'authorityKeyIdentifier is the CA key id');
  }
});

t.test('the server certificate names 127.0.0.1, localhost and each --host', async (t) => {
  t.equal(
    certs.server.subjectAltName,
    'IP Address:127.0.0.1, DNS:localhost, DNS:agent.internal, IP Address:10.0.0.5, IP Address:FD00:0:0:0:0:0:0:1',
  );
  t.strictSame(result.serverNames, [
    { type: 'ip', value: '127.0.0.1' },
    { type: 'dns', value: 'localhost' },
    { type: 'dns', value: 'agent.internal' },
    { type: 'ip', value: '10.0.0.5' },
    { type: 'ip', value: 'fd00::1' },
  ]);
  for (const host of ['127.0.0.1', 'localhost', 'agent.internal', '10.0.0.5', 'fd00::1']) {
    const check = isIP(host) === 0 ? certs.server.checkHost(host) : certs.server.checkIP(host);
    t.ok(check, `valid for ${host}`);
  }
  t.equal(certs.server.checkHost('other.example'), undefined);
  t.equal(certs.client.subjectAltName, undefined, 'the client certificate has no SAN');
});

t.test('random positive 128-bit serial numbers and SHA-256 signatures', async (t) => {
  const serials = [certs.ca, certs.server, certs.client].map((cert) => cert.serialNumber);
  for (const serial of serials) {
    t.match(serial, /^[0-9A-F]{32}$/, `${serial} has 128 bits`);
  }
  t.equal(new Set(serials).size, 3, 'all different');
  for (const cert of [certs.forgeCa, certs.forgeServer, certs.forgeClient]) {
    t.equal(cert.siginfo.algorithmOid, forge.pki.oids.sha256WithRSAEncryption);
  }
});

t.test('validity runs from five minutes before now for validityDays', async (t) => {
  t.strictSame(result.notBefore, new Date('2029-12-31T23:55:00Z'));
  t.strictSame(result.notAfter, new Date('2031-01-01T00:00:00Z'));
  for (const cert of [certs.ca, certs.server, certs.client]) {
    t.equal(cert.validFrom, 'Dec 31 23:55:00 2029 GMT');
    t.equal(cert.validTo, 'Jan  1 00:00:00 2031 GMT');
  }
  const short = t.testdir();
  const shortResult = await initCertificates({
    outDir: short,
    hosts: [],
    now: NOW,
    validityDays: 1,
  });
  t.strictSame(shortResult.notAfter, new Date('2030-01-02T00:00:00Z'));
});

t.test('keyBits sets the RSA modulus of every key', async (t) => {
  const out = join(t.testdir(), 'nested', 'certs');
  await initCertificates({ outDir: out, hosts: [], keyBits: 3072 });
  const { mode } = await stat(out);
  t.equal(mode & 0o777, 0o700 & ~process.umask(), 'a missing directory is created 0700');
  for (const name of [CERTIFICATE_FILES.ca, CERTIFICATE_FILES.server, CERTIFICATE_FILES.client]) {
    const cert = new X509Certificate(await read(out, name));
    t.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 3072, name);
  }
});

t.test('refuses to overwrite existing files unless forced', async (t) => {
  const out = t.testdir();
  const first = await initCertificates({ outDir: out, hosts: [] });
  const before = await read(out, CERTIFICATE_FILES.caKey);
  const error = await t.rejects(
    initCertificates({ outDir: out, hosts: [] }),
    CertificatesExistError,
  );
  t.match(error, {
    code: 'LIVEPATCH_CERTS_EXIST',
    exitCode: 1,
    paths: first.files,
    message: /^Certificate files already exist: ".*ca\.pem", .*\. Pass --force to replace them/,
  });
  t.equal(await read(out, CERTIFICATE_FILES.caKey), before, 'nothing was replaced');

  const forced = await initCertificates({ outDir: out, hosts: [], force: true });
  t.not(forced.caFingerprint256, first.caFingerprint256, 'a new CA');
  t.not(await read(out, CERTIFICATE_FILES.caKey), before);
  t.equal((await stat(join(out, CERTIFICATE_FILES.caKey))).mode & 0o777, 0o600);
  t.strictSame((await readdir(out)).length, 6);
});

t.test('a single existing file blocks the whole run and is named', async (t) => {
  const out = t.testdir({ 'client-key.pem': 'mine' });
  await t.rejects(initCertificates({ outDir: out, hosts: [] }), {
    name: 'CertificatesExistError',
    paths: [join(out, 'client-key.pem')],
  });
  t.strictSame(await readdir(out), ['client-key.pem'], 'nothing else was written');
  t.equal(await read(out, 'client-key.pem'), 'mine');
});

t.test('invalid hosts are refused before anything is written', async (t) => {
  for (const host of [
    '',
    'bad_name',
    '-agent',
    'agent-',
    'a..b',
    'https://agent',
    'agent:50051',
    '*.agent',
    '10.0.0.300',
    'a'.repeat(64),
  ]) {
    const out = join(t.testdir(), 'certs');
    const error = await t.rejects(
      initCertificates({ outDir: out, hosts: ['agent.internal', host] }),
      InvalidHostError,
      JSON.stringify(host),
    );
    t.match(error, { code: 'LIVEPATCH_CERTS_INVALID_HOST', exitCode: 2, host });
    await t.rejects(stat(out), { code: 'ENOENT' }, 'the directory was not even created');
  }
});

t.test('out-of-range options are usage errors', async (t) => {
  const cases: [Partial<Parameters<typeof initCertificates>[0]>, string][] = [
    [{ validityDays: 0 }, 'validityDays'],
    [{ validityDays: 1.5 }, 'validityDays'],
    [{ validityDays: 3651 }, 'validityDays'],
    [{ keyBits: 1024 }, 'keyBits'],
    [{ keyBits: 2048.5 }, 'keyBits'],
    [{ keyBits: 16384 }, 'keyBits'],
    [{ now: new Date(Number.NaN) }, 'now'],
  ];
  for (const [options, option] of cases) {
    const out = join(t.testdir(), 'certs');
    const error = await t.rejects(
      initCertificates({ outDir: out, hosts: [], ...options }),
      InvalidCertificateOptionError,
    );
    t.match(error, {
      code: 'LIVEPATCH_CERTS_INVALID_OPTION',
      exitCode: 2,
      option,
      message: new RegExp(`^Option ${option} ".*" is invalid\\. Pass a`),
    });
  }
});

t.test('a file in the way of the directory is reported as is', async (t) => {
  const file = join(t.testdir(), 'file');
  await writeFile(file, '');
  await t.rejects(initCertificates({ outDir: join(file, 'certs'), hosts: [] }), {
    code: 'ENOTDIR',
  });
});

t.test('a serial number whose first byte is zero is drawn again', async (t) => {
  let serialDraws = 0;
  const { initCertificates: mocked } = await t.mockImport<typeof InitCertificatesModule>(
    '../../src/certs/init-certificates.js',
    {
      'node:crypto': {
        ...crypto,
        randomBytes: (size: number) => {
          if (size !== 16) {
            return crypto.randomBytes(size);
          }
          serialDraws += 1;
          // The first draw starts with 0x00, the second has its top bit set, the rest are ordinary.
          if (serialDraws === 1) {
            return Buffer.alloc(16);
          }
          return serialDraws === 2 ? Buffer.alloc(16, 0xff) : Buffer.alloc(16, 0x11);
        },
      },
    },
  );
  const out = t.testdir();
  await mocked({ outDir: out, hosts: [] });
  t.equal(serialDraws, 4, 'three serials, one drawn twice');
  const ca = new X509Certificate(await read(out, CERTIFICATE_FILES.ca));
  const server = new X509Certificate(await read(out, CERTIFICATE_FILES.server));
  t.equal(ca.serialNumber, 'FF'.repeat(16), 'a leading 00 keeps it positive');
  t.equal(server.serialNumber, '11'.repeat(16));
});

t.test('an unreadable existing path is reported as is', async (t) => {
  const { initCertificates: mocked } = await t.mockImport<typeof InitCertificatesModule>(
    '../../src/certs/init-certificates.js',
    {
      'node:fs/promises': {
        ...fs,
        lstat: () => Promise.reject(Object.assign(new Error('i/o error'), { code: 'EIO' })),
      },
    },
  );
  await t.rejects(mocked({ outDir: t.testdir(), hosts: [] }), { code: 'EIO' });
});
