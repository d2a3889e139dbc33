/**
 * Keeps `docs/configuration-reference.md` equal to what `scripts/gen-config-docs.mjs` makes of
 * `docs/velocity.schema.json`, and checks the generator's rules against `@velocity/core`'s own: every leaf
 * has a row with the variable `envNameFor` gives it, and the secret fields are exactly `secretPaths()`.
 *
 * To regenerate the page after changing the schema, run
 * `node scripts/gen-schema.mjs && node scripts/gen-config-docs.mjs` from the repository root and commit the
 * result.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import t from 'tap';
import { envNameFor } from '../../packages/core/src/config/env-source.js';
import { leafPaths, secretPaths } from '../../packages/core/src/config/schema-tree.js';
import { run } from './helpers/run.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCRIPT = resolve(ROOT, 'scripts', 'gen-config-docs.mjs');
const PAGE = resolve(ROOT, 'docs', 'configuration-reference.md');

let generated: Promise<string> | undefined;

/** The page the generator prints for the committed schema (it writes nothing with `--stdout`); run once. */
function generate(): Promise<string> {
  generated ??= run(process.execPath, [SCRIPT, '--stdout'], ROOT).then((result) => {
    if (result.code !== 0)
      throw new Error(`gen-config-docs exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  });
  return generated;
}

/** The table rows of `page` as `{key, env, secret}`, from cells split at unescaped `|`. */
function tableRows(page: string): Array<{ key: string; env: string; secret: boolean }> {
  return page
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim());
      const unquote = (cell: string | undefined) => (cell ?? '').replace(/^`|`$/g, '');
      return { key: unquote(cells[0]), env: unquote(cells[3]), secret: cells[4] === '**secret**' };
    });
}

t.test('docs/configuration-reference.md is up to date', async (t) => {
  const committed = await readFile(PAGE, 'utf8').catch(() => '(missing)');
  t.equal(
    committed,
    await generate(),
    'run node scripts/gen-schema.mjs && node scripts/gen-config-docs.mjs to regenerate',
  );
});

t.test("every leaf has a row with core's environment variable name", async (t) => {
  const rows = new Map(tableRows(await generate()).map((row) => [row.key, row]));
  for (const path of leafPaths()) {
    t.equal(rows.get(path)?.env, envNameFor(path), path);
  }
  t.strictSame(
    [...rows.values()].filter((row) => row.env.startsWith('VELOCITY_')).map((row) => row.key),
    leafPaths(),
    'no variable for anything but a leaf, and in schema order',
  );
});

t.test("the rows marked secret are core's secret fields", async (t) => {
  const secret = tableRows(await generate())
    .filter((row) => row.secret)
    .map((row) => row.key);
  // `log.secrets[]` (each item is secret) is documented on the list's own row.
  t.strictSame(
    secret,
    secretPaths().map((path) => path.replace(/\[\]$/, '')),
  );
});

t.test('rejects unknown arguments with exit code 2', async (t) => {
  const result = await run(process.execPath, [SCRIPT, '--check'], ROOT);
  t.equal(result.code, 2);
  t.equal(result.stdout, '');
  t.match(result.stderr, /^gen-config-docs: error: Unknown argument "--check"\./);
});
