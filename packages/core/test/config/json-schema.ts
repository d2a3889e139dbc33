/**
 * Keeps `docs/velocity.schema.json` equal to `configJsonSchema()`, so the committed schema never goes stale.
 *
 * To regenerate it after changing the schema, run either
 *   `node scripts/gen-schema.mjs` (from the repository root), or
 *   `UPDATE_SCHEMA=1 npx tap test/config/json-schema.ts` (from packages/core),
 * and commit the result. Without `UPDATE_SCHEMA=1` this test only compares, and fails with the diff.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { configJsonSchema } from '../../src/config/json-schema.js';

const SCHEMA_FILE = fileURLToPath(
  new URL('../../../../docs/velocity.schema.json', import.meta.url),
);

t.test('docs/velocity.schema.json is up to date', async (t) => {
  const expected = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
  if (process.env['UPDATE_SCHEMA'] === '1') {
    await writeFile(SCHEMA_FILE, expected);
    t.pass(`wrote ${SCHEMA_FILE}`);
    return;
  }
  const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '(missing)');
  t.equal(
    committed,
    expected,
    'run UPDATE_SCHEMA=1 npx tap test/config/json-schema.ts to regenerate',
  );
});

t.test('the schema describes every field and marks secrets write-only', async (t) => {
  const schema = configJsonSchema() as {
    $schema: string;
    $id: string;
    title: string;
    properties: Record<
      string,
      {
        properties: Record<string, Record<string, unknown>>;
        default: unknown;
      }
    >;
    additionalProperties: boolean;
  };
  t.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  t.equal(schema.$id, 'urn:velocity:schema:velocity.yaml');
  t.match(schema.title, /velocity\.yaml/);
  t.equal(schema.additionalProperties, false);
  t.strictSame(Object.keys(schema.properties), [
    'depCi',
    'livepatch',
    'quantumMerge',
    'dashboard',
    'log',
  ]);
  for (const [name, section] of Object.entries(schema.properties)) {
    for (const [key, field] of Object.entries(section.properties)) {
      t.type(field['description'], 'string', `${name}.${key} has a description`);
    }
  }
  const quantumMerge = schema.properties['quantumMerge']?.properties ?? {};
  t.equal(quantumMerge['githubToken']?.['writeOnly'], true);
  t.match(quantumMerge['githubToken']?.['description'], /Secret:/);
  t.equal(quantumMerge['redisUrl']?.['default'], 'redis://127.0.0.1:6379');
  t.equal(quantumMerge['concurrency']?.['default'], 4);
  t.equal(quantumMerge['label']?.['writeOnly'], undefined);
  t.strictSame(schema.properties['log']?.default, {
    level: 'info',
    format: 'auto',
    secrets: [],
  });
});
