import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';

const packageDir = join(import.meta.dirname, '../..');
const committed = join(packageDir, 'src/protocol/generated');

/** Every file under `dir`, root-relative, with its text. */
function files(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return found;
}

t.test('the committed descriptor and types match the .proto (run npm run generate)', async (t) => {
  const fresh = t.testdir();
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(packageDir, 'scripts/generate-protocol.ts'), fresh],
    { cwd: packageDir, stdio: 'pipe' },
  );
  t.strictSame(files(fresh), files(committed));
});
