/**
 * The cache key of module resolution: a hash of every setting that can change where a reference leads.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isRecord, readRepositoryJson, readRepositoryText } from './read-files.js';
import type { RepositoryIndex } from './repository-index.js';

/** Bump when resolution itself changes, so results cached by an older dep-ci are not reused. */
const RESOLUTION_VERSION = 1;

/** `package.json` fields module resolution reads. */
const MANIFEST_FIELDS = [
  'name',
  'exports',
  'imports',
  'main',
  'module',
  'types',
  'typings',
  'source',
  'workspaces',
];

/** What {@link computeSettingsHash} hashes. */
export interface SettingsHashInput {
  index: RepositoryIndex;
  aliases: Readonly<Record<string, string>>;
  conditions: readonly string[];
  /** Python search roots, root-relative POSIX, in search order. */
  pythonRoots: readonly string[];
  /** Root-relative POSIX paths of the tsconfig files the nearest-tsconfig lookup can pick. */
  tsconfigs: readonly string[];
  /** Absolute paths of the files one tsconfig (root-relative) is built from: itself, `extends`, references. */
  tsconfigFiles: (tsconfig: string) => string[];
}

/**
 * Hex SHA-256 over the resolution settings: a version number, the conditions (as a set), the aliases (in
 * order), the Python roots (in order), the resolution fields of every `package.json` in the repository
 * (`name`, `exports`, `imports`, `main`, `module`, `types`, `typings`, `source`, `workspaces`; the raw text when
 * it does not parse), `pnpm-workspace.yaml`, and the contents of every file a tsconfig is built from, including
 * `extends` targets in `node_modules`.
 *
 * Paths enter the hash relative to the repository root, so two checkouts of one commit hash alike wherever they
 * are; the file list itself does not enter it (the caller keys on that separately).
 *
 * @remarks Reads each `package.json` and tsconfig file once: O(total size of those files).
 */
export function computeSettingsHash(input: SettingsHashInput): string {
  const { index } = input;
  const hash = createHash('sha256');
  const add = (label: string, value: unknown): void => {
    hash.update(`${label}\0${JSON.stringify(value)}\n`);
  };
  add('version', RESOLUTION_VERSION);
  add('conditions', [...new Set(input.conditions)].sort());
  add('aliases', Object.entries(input.aliases));
  add('pythonRoots', input.pythonRoots);
  const manifests = [...index.files]
    .filter((file) => file === 'package.json' || file.endsWith('/package.json'))
    .sort();
  for (const manifest of manifests) {
    const parsed = readRepositoryJson(index, manifest);
    add(
      manifest,
      isRecord(parsed)
        ? MANIFEST_FIELDS.map((field) => [field, parsed[field] ?? null])
        : (readRepositoryText(index, manifest) ?? null),
    );
  }
  add('pnpm-workspace.yaml', readRepositoryText(index, 'pnpm-workspace.yaml') ?? null);
  const configFiles = new Set<string>();
  for (const tsconfig of input.tsconfigs) {
    for (const file of input.tsconfigFiles(tsconfig)) configFiles.add(file);
  }
  const relativeConfigFiles = [...configFiles]
    .map((file) => [path.relative(index.root, file).split(path.sep).join('/'), file] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [relative, absolute] of relativeConfigFiles) add(relative, readOrNull(absolute));
  return hash.digest('hex');
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
