#!/usr/bin/env node
/**
 * Regenerates `docs/velocity.schema.json` from `@velocity/core`'s config schema.
 *
 * Node 20 cannot import the TypeScript source, so this runs the staleness test
 * (`packages/core/test/config/json-schema.ts`) under tap's loader with `UPDATE_SCHEMA=1`, which makes the test
 * write the file instead of comparing it. Usage: `node scripts/gen-schema.mjs`. Exits with tap's exit code.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const core = join(import.meta.dirname, '..', 'packages', 'core');
const child = spawn('npx', ['tap', '--disable-coverage', 'test/config/json-schema.ts'], {
  cwd: core,
  env: { ...process.env, UPDATE_SCHEMA: '1' },
  stdio: 'inherit',
});
child.on('close', (code) => {
  process.exitCode = code ?? 1;
});
