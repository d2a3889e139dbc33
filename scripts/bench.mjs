#!/usr/bin/env node
/**
 * `npm run bench -- NAME [args]`: runs `bench/NAME.ts` (through tsx) and passes the args on.
 * With no NAME, lists the benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const benchDir = join(import.meta.dirname, '..', 'bench');
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3));
if (name === undefined || !existsSync(join(benchDir, `${name}.ts`))) {
  process.stderr.write(
    `${name === undefined ? 'bench: no benchmark named' : `bench: error: unknown benchmark "${name}"`}. Available: ${available.join(', ')}\n`,
  );
  process.exitCode = 2;
} else {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(benchDir, `${name}.ts`), ...rest],
    { stdio: 'inherit' },
  );
  process.exitCode = result.status ?? 1;
}
