import { getAsset, isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';
import type { WorkerSource } from './parsers/index.js';

/**
 * SEA asset name of the bundle itself, as `scripts/bundle.mjs --embed-bundle` embeds it (see the package's
 * `build` script): the single executable starts its parse workers from it.
 */
export const BUNDLE_ASSET = 'dep-ci.cjs';

/**
 * How parse worker threads start in this runtime. A worker runs dep-ci's entry, `bin/dep-ci.cjs`, which
 * runs the worker loop instead of the CLI when its `workerData` says so.
 *
 * - single executable: the bundle embedded as the SEA asset {@link BUNDLE_ASSET}, evaluated
 * - plain bundle (`node dist/dep-ci.cjs`): the bundle file, which this module is part of
 * - from source (tsx, tap): `undefined`, so files are parsed in-thread. A worker would need the parent's
 *   TypeScript loader, and tap's cannot `require` the package's ES modules from the `.cjs` entry; tests
 *   pass their own {@link WorkerSource} with tsx.
 *
 * @returns the source, or `undefined` when running from source
 *
 * @remarks Reads nothing: the SEA asset is read when workers are first started.
 */
export function defaultWorkerSource(): WorkerSource | undefined {
  if (isSea()) return { kind: 'eval', code: () => getAsset(BUNDLE_ASSET, 'utf8') };
  // In the bundle, ncc rewrites `import.meta.url` to the URL of the bundle file.
  const self = fileURLToPath(import.meta.url);
  return self.endsWith('.cjs') ? { kind: 'file', file: self } : undefined;
}
