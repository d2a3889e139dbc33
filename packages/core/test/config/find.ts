import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError } from '../../src/errors.js';
import { findConfigFile } from '../../src/config/find.js';

t.test('searches up from startDir for velocity.yaml', async (t) => {
  const root = t.testdir({ 'velocity.yaml': '', a: { b: { c: {} } } });
  t.equal(await findConfigFile(join(root, 'a', 'b', 'c')), join(root, 'velocity.yaml'));
  t.equal(await findConfigFile(root), join(root, 'velocity.yaml'));
});

t.test('the nearest file wins, velocity.yml counts, and velocity.yaml is preferred', async (t) => {
  const root = t.testdir({
    'velocity.yaml': '',
    a: { 'velocity.yml': '', b: {} },
    both: { 'velocity.yaml': '', 'velocity.yml': '' },
    dir: { 'velocity.yaml': {}, sub: {} },
  });
  t.equal(await findConfigFile(join(root, 'a', 'b')), join(root, 'a', 'velocity.yml'));
  t.equal(await findConfigFile(join(root, 'both')), join(root, 'both', 'velocity.yaml'));
  t.equal(
    await findConfigFile(join(root, 'dir', 'sub')),
    join(root, 'velocity.yaml'),
    'a directory is not a file',
  );
});

t.test('stops at the filesystem root and returns undefined', async (t) => {
  // Outside the repository: a testdir's parents include the repository root.
  const dir = await mkdtemp(join(tmpdir(), 'velocity-find-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  t.equal(await findConfigFile(dir), undefined);
});

t.test('an explicit file must exist and be a file', async (t) => {
  const root = t.testdir({ 'custom.yaml': '', sub: {}, 'velocity.yaml': '' });
  t.equal(
    await findConfigFile(join(root, 'sub'), { configFile: '../custom.yaml' }),
    join(root, 'custom.yaml'),
  );
  t.equal(
    await findConfigFile('/elsewhere', {
      configFile: join(root, 'custom.yaml'),
    }),
    join(root, 'custom.yaml'),
  );

  const missing = await findConfigFile(root, { configFile: 'nope.yaml' }).catch(
    (error: unknown) => error,
  );
  t.type(missing, ConfigError);
  t.strictSame((missing as ConfigError).issues, [
    {
      path: '--config',
      message: `config file "${join(root, 'nope.yaml')}" does not exist; fix the path, or omit --config to use velocity.yaml from the working directory or a parent`,
    },
  ]);

  const directory = await findConfigFile(root, {
    configFile: 'sub',
    configFileFrom: 'VELOCITY_CONFIG',
  }).catch((error: unknown) => error);
  t.equal(
    (directory as ConfigError).message,
    `VELOCITY_CONFIG: "${join(root, 'sub')}" is not a file; pass the path of a velocity.yaml file`,
  );
});
