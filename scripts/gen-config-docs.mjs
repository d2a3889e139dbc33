#!/usr/bin/env node
/**
 * Writes `docs/configuration-reference.md` from `docs/velocity.schema.json`: one table per section with every
 * key's path, type, default, `VELOCITY_*` environment variable, whether it is secret, and its description.
 *
 * @example
 * ```sh
 * node scripts/gen-schema.mjs && node scripts/gen-config-docs.mjs   # refresh the schema, then this page
 * node scripts/gen-config-docs.mjs --stdout                        # print the page instead of writing it
 * ```
 *
 * `scripts/test/config-docs.ts` fails when the committed page differs from what this prints.
 *
 * @remarks
 * Plain Node, no TypeScript: it reads only the committed JSON Schema. The rules it mirrors from
 * `@velocity/core` (`packages/core/src/config/`), which the test checks against the real functions:
 * - a *leaf* is any field that is not an object with `properties` (scalars, lists, records); only leaves have
 *   an environment variable (`schema-tree.ts#leafPaths`);
 * - a leaf's variable is `VELOCITY_` plus each path segment with `_` before every capital that follows a
 *   lowercase letter or digit, upper-cased, joined by `_` (`env-source.ts#envNameFor`);
 * - a field is secret when it or the items of its list are `writeOnly` (`json-schema.ts`).
 * Fields inside the elements of a list of objects (`livepatch.reload[].action`) are listed under the list, with
 * no variable of their own: the whole list is set at once, as JSON. The output goes through Prettier with the
 * repository's settings, so `npm run format` leaves it unchanged.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';

const ROOT = join(import.meta.dirname, '..');
const SCHEMA_FILE = join(ROOT, 'docs', 'velocity.schema.json');
const OUT_FILE = join(ROOT, 'docs', 'configuration-reference.md');

/** The sentence `json-schema.ts` appends to a secret field's description; the Secret column says it instead. */
const SECRET_SENTENCE = /\s*Secret: shown as \[REDACTED\] and scrubbed from logs\.$/;

/** `depCi.runner` → `VELOCITY_DEP_CI_RUNNER`, exactly as `envNameFor` in packages/core/src/config/env-source.ts. */
function envNameFor(path) {
  return (
    'VELOCITY_' +
    path
      .split('.')
      .map((key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
      .join('_')
  );
}

/** Whether `field` is an object section whose keys are fields of their own (not a leaf). */
function isSection(field) {
  return field.type === 'object' && field.properties !== undefined;
}

/** Whether `field`, or every item of the list it is, is secret. */
function isSecret(field) {
  return field.writeOnly === true || field.items?.writeOnly === true;
}

/** A short type: `string`, `integer (1–100)`, `"a" \| "b"`, `list of string`, `map of string → string`, … */
function typeOf(field) {
  if (field.enum !== undefined) return field.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (field.anyOf !== undefined) return field.anyOf.map(typeOf).join(' or ');
  switch (field.type) {
    case 'array':
      return `list of ${field.items?.type === 'object' ? 'objects' : typeOf(field.items ?? {})}`;
    case 'object':
      return field.additionalProperties !== undefined && field.additionalProperties !== false
        ? `map of ${typeOf(field.propertyNames ?? { type: 'string' })} → ${typeOf(field.additionalProperties)}`
        : 'object';
    case 'integer':
    case 'number': {
      // Only integers have bounds in this schema; an exclusive minimum n is the inclusive minimum n + 1.
      const min =
        field.minimum ??
        (field.exclusiveMinimum === undefined ? undefined : field.exclusiveMinimum + 1);
      const max = field.maximum === Number.MAX_SAFE_INTEGER ? undefined : field.maximum;
      if (min === undefined && max === undefined) return field.type;
      if (max === undefined) return `${field.type} ≥ ${min}`;
      return `${field.type} ${min ?? '…'}–${max}`;
    }
    default:
      return field.format === 'uri' ? 'URL' : (field.type ?? 'any');
  }
}

/** The default as YAML would show it, or `—` when the field has none. */
function defaultOf(field) {
  return field.default === undefined ? '—' : code(JSON.stringify(field.default));
}

/** `text` as inline code, escaping the table's `|`. */
function code(text) {
  return `\`${text.replaceAll('|', '\\|')}\``;
}

/** A table cell: no line breaks, `|` escaped. */
function cell(text) {
  return text.replace(/\s+/g, ' ').replaceAll('|', '\\|');
}

/** One row per field below `section` (depth first, schema order), as `{path, field, env}`. */
function rows(properties, prefix, inList) {
  const out = [];
  for (const [key, field] of Object.entries(properties)) {
    const path = `${prefix}.${key}`;
    if (isSection(field)) {
      out.push(...rows(field.properties, path, inList));
      continue;
    }
    out.push({ path, field, env: inList ? undefined : envNameFor(path) });
    if (field.type === 'array' && field.items !== undefined && isSection(field.items)) {
      out.push(...rows(field.items.properties, `${path}[]`, true));
    }
  }
  return out;
}

/** The table of one section. */
function sectionTable(name, section) {
  const header = [
    '| key | type | default | environment variable | secret | description |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  const body = rows(section.properties, name, false).map(({ path, field, env }) => {
    const required =
      path.includes('[]') && isRequiredInItem(section, path) ? ' Required in each item.' : '';
    const description = cell((field.description ?? '').replace(SECRET_SENTENCE, '') + required);
    return `| ${[
      code(path),
      cell(typeOf(field)),
      defaultOf(field),
      env === undefined ? '— (set the list)' : code(env),
      isSecret(field) ? '**secret**' : 'no',
      description,
    ].join(' | ')} |`;
  });
  return [...header, ...body].join('\n');
}

/** Whether the field at `path` (e.g. `livepatch.reload[].action`) is in its item schema's `required`. */
function isRequiredInItem(section, path) {
  const [listPath, key] = path.split('[].');
  const listKey = listPath.split('.').slice(1);
  let field = section;
  for (const segment of listKey) field = field.properties?.[segment] ?? {};
  return field.items?.required?.includes(key) === true;
}

/**
 * The page for `schema` (the parsed `docs/velocity.schema.json`), formatted with the repository's Prettier
 * settings.
 */
async function renderConfigReference(schema) {
  const parts = [
    '# Configuration reference',
    '',
    '<!-- Generated from velocity.schema.json by scripts/gen-config-docs.mjs; do not edit. Regenerate with `node scripts/gen-schema.mjs && node scripts/gen-config-docs.mjs`. -->',
    '',
    `${schema.description}`,
    '',
    'Every key of `velocity.yaml`, by section. How the file is found, precedence (defaults < file <',
    '`VELOCITY_*` environment < flags), `${env:…}`/`${file:…}` references and error messages are in',
    '[configuration.md](configuration.md); the same keys drive editor completion through',
    '[velocity.schema.json](velocity.schema.json).',
    '',
    '- **environment variable**: the canonical name; the match ignores case, `_` and `.`, so',
    '  `VELOCITY_DEPCI_RUNNER` also sets `depCi.runner`. Numbers are decimal; booleans `true`/`false`/`1`/`0`;',
    '  lists `a,b,c` or a JSON array (lists of objects only as JSON); maps a JSON object.',
    '- **secret**: the value prints as `[REDACTED]` in `velocity config print` and is scrubbed from every log',
    '  line (for a list, each item).',
    '- **default** `—`: unset; the description says what happens then.',
    '',
  ];
  for (const [name, section] of Object.entries(schema.properties)) {
    parts.push(
      `## \`${name}\``,
      '',
      section.description ?? '',
      '',
      sectionTable(name, section),
      '',
    );
  }
  const options = (await resolveConfig(OUT_FILE)) ?? {};
  return format(parts.join('\n'), { ...options, filepath: OUT_FILE });
}

async function main(args) {
  const unknown = args.filter((arg) => arg !== '--stdout');
  if (unknown.length > 0) {
    process.stderr.write(
      `gen-config-docs: error: Unknown argument "${unknown[0]}". Usage: node scripts/gen-config-docs.mjs [--stdout]\n`,
    );
    return 2;
  }
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  const page = await renderConfigReference(schema);
  if (args.includes('--stdout')) {
    process.stdout.write(page);
  } else {
    writeFileSync(OUT_FILE, page);
    process.stderr.write(`gen-config-docs: wrote ${OUT_FILE}\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
