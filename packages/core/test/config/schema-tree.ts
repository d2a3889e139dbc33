import t from 'tap';
import { z } from 'zod';
import {
  isSecretPath,
  knownKeysAt,
  leafPaths,
  schemaAt,
  secretPaths,
  secretValues,
  unwrapSchema,
} from '../../src/config/schema-tree.js';

t.test('secretPaths lists every secret field, lists of secrets as path[]', async (t) => {
  t.strictSame(secretPaths(), [
    'quantumMerge.privateKey',
    'quantumMerge.webhookSecret',
    'quantumMerge.githubToken',
    'quantumMerge.redisUrl',
    'quantumMerge.apiToken',
    'dashboard.token',
    'dashboard.redisUrl',
    'log.secrets[]',
  ]);
});

t.test('leafPaths lists every field below the sections, in schema order', async (t) => {
  const leaves = leafPaths();
  t.equal(leaves[0], 'depCi.runner');
  t.ok(leaves.includes('livepatch.reload'), 'a list of objects is one leaf');
  t.ok(leaves.includes('depCi.aliases'), 'a record is one leaf');
  t.notOk(leaves.includes('livepatch'));
  t.ok(leaves.includes('depCi.languages.python'), 'nested objects are walked');
  t.equal(leaves.length, 58);
});

t.test('schemaAt walks objects, lists and records', async (t) => {
  t.type(schemaAt(['quantumMerge', 'concurrency']), z.ZodNumber);
  t.type(schemaAt(['livepatch', 'reload', 3, 'action']), z.ZodEnum);
  t.type(schemaAt(['depCi', 'aliases', 'anything']), z.ZodString);
  t.type(schemaAt([]), z.ZodObject);
  t.equal(schemaAt(['depCi', 'nope']), undefined);
  t.equal(schemaAt(['livepatch', 'reload', 'x']), undefined);
  t.equal(schemaAt(['depCi', 'aliases', 0]), undefined);
  t.equal(schemaAt(['log', 'level', 'deeper']), undefined);
  t.equal(schemaAt(['toString']), undefined, 'only own keys of the shape');
});

t.test('knownKeysAt lists the keys of objects only', async (t) => {
  t.strictSame(knownKeysAt(['log']), ['level', 'format', 'secrets']);
  t.strictSame(knownKeysAt(['dashboard', 'agents', 0]), ['name', 'address', 'certs']);
  t.equal(knownKeysAt(['log', 'level']), undefined);
});

t.test('isSecretPath is true for secret fields and anything inside them', async (t) => {
  t.ok(isSecretPath(['quantumMerge', 'githubToken']));
  t.ok(isSecretPath(['log', 'secrets', 2]));
  t.notOk(isSecretPath(['log', 'secrets']), 'the list itself is not a secret, its items are');
  t.notOk(isSecretPath(['quantumMerge', 'label']));
  t.notOk(isSecretPath(['nope', 'x']));
});

t.test(
  'secretValues collects non-empty strings in secret fields, following the schema',
  async (t) => {
    t.strictSame(
      secretValues({
        quantumMerge: {
          githubToken: 'ghp',
          webhookSecret: 5,
          privateKey: '',
          label: 'not secret',
        },
        log: { secrets: ['a', 'b'] },
        dashboard: 'not an object',
        livepatch: { reload: [{ command: 'x' }] },
        unknown: { token: 'x' },
      }),
      [
        { path: ['quantumMerge', 'githubToken'], value: 'ghp' },
        { path: ['log', 'secrets', 0], value: 'a' },
        { path: ['log', 'secrets', 1], value: 'b' },
      ],
    );
  },
);

t.test('unwrapSchema strips default, optional and nullable', async (t) => {
  const inner = z.string();
  t.equal(unwrapSchema(inner.nullable().optional().default('x')), inner);
});
