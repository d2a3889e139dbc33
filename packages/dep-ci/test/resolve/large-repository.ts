/**
 * Module resolution over a generated 10,000-file monorepo (50 workspace packages, tsconfig `paths` and
 * `extends`, ~86,000 references): every reference must land where the generator meant it to, and the time per
 * resolution is reported as a comment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import { createModuleResolver } from '../../src/resolve/index.js';
import type { ModuleReference, Resolution } from '../../src/types.js';
import { reference } from './helpers/fixture.js';

const PACKAGES = 50;
const DIRECTORIES = 10;
const FILES_PER_DIRECTORY = 19;

interface Expectation {
  from: string;
  reference: ModuleReference;
  expected: Resolution;
}

/** Write the tree; return its files and the references each file makes, with the expected resolutions. */
function generate(root: string): { files: Set<string>; expectations: Expectation[] } {
  const files = new Set<string>();
  const write = (file: string, content: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
    files.add(file);
  };
  write(
    'package.json',
    JSON.stringify({ name: 'bench', private: true, workspaces: ['packages/*'] }),
  );
  write(
    'tsconfig.base.json',
    JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext' } }),
  );
  const expectations: Expectation[] = [];
  const expect = (from: string, ref: ModuleReference, expected: Resolution): void => {
    expectations.push({ from, reference: ref, expected });
  };
  for (let p = 0; p < PACKAGES; p++) {
    const pkg = `packages/pkg-${p}`;
    write(
      `${pkg}/package.json`,
      JSON.stringify({
        name: `@bench/pkg-${p}`,
        type: 'module',
        exports: {
          '.': { types: './dist/index.d.ts', import: './dist/index.js' },
          './*': './dist/*.js',
        },
      }),
    );
    write(
      `${pkg}/tsconfig.json`,
      JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { paths: { '~/*': ['./src/*'] } },
      }),
    );
    write(`${pkg}/src/index.ts`, '');
    for (let d = 0; d < DIRECTORIES; d++) {
      for (let f = 0; f < FILES_PER_DIRECTORY; f++) {
        const file = `${pkg}/src/dir-${d}/file-${f}.ts`;
        write(file, '');
        const next = `${pkg}/src/dir-${d}/file-${(f + 1) % FILES_PER_DIRECTORY}.ts`;
        const otherDirectory = (d + 1) % DIRECTORIES;
        const other = `${pkg}/src/dir-${otherDirectory}/file-${f}.ts`;
        const dependency = (p + 1 + (f % 5)) % PACKAGES;
        expect(file, reference(`./file-${(f + 1) % FILES_PER_DIRECTORY}.js`), {
          kind: 'file',
          path: next,
        });
        expect(file, reference(`../dir-${otherDirectory}/file-${f}.js`), {
          kind: 'file',
          path: other,
        });
        expect(file, reference(`~/dir-${otherDirectory}/file-${f}`), { kind: 'file', path: other });
        expect(file, reference(`@bench/pkg-${dependency}`), {
          kind: 'file',
          path: `packages/pkg-${dependency}/src/index.ts`,
        });
        expect(file, reference(`@bench/pkg-${dependency}/dir-${d}/file-${f}`), {
          kind: 'file',
          path: `packages/pkg-${dependency}/src/dir-${d}/file-${f}.ts`,
        });
        expect(file, reference('react'), { kind: 'external', packageName: 'react' });
        expect(file, reference(`lodash/fp/${f}`), { kind: 'external', packageName: 'lodash' });
        expect(file, reference('node:fs'), { kind: 'builtin' });
        expect(file, reference('../index.js', 'mock'), {
          kind: 'file',
          path: `${pkg}/src/index.ts`,
        });
        if (f === 0) expect(file, reference('./missing.js'), { kind: 'unresolved', reason: '' });
      }
    }
  }
  return { files, expectations };
}

t.test('every reference of a 10,000-file monorepo resolves as generated', async (t) => {
  const root = t.testdir({});
  const { files, expectations } = generate(root);
  t.ok(files.size >= 9_500, `${files.size} files`);

  const created = performance.now();
  const resolver = createModuleResolver({ root, files });
  const creationMs = performance.now() - created;

  const started = performance.now();
  const results = expectations.map(({ reference, from }) => resolver.resolve(reference, from));
  const coldMs = performance.now() - started;

  const again = performance.now();
  for (const { reference, from } of expectations) resolver.resolve(reference, from);
  const warmMs = performance.now() - again;

  let mismatches = 0;
  for (const [at, { expected, from, reference }] of expectations.entries()) {
    const actual = results[at];
    const same =
      expected.kind === 'unresolved'
        ? actual?.kind === 'unresolved'
        : JSON.stringify(actual) === JSON.stringify(expected);
    if (!same && mismatches++ < 5) t.fail(`${from}: ${reference.specifier}`, { actual, expected });
  }
  t.equal(mismatches, 0, `all ${expectations.length} references resolve as generated`);

  const microseconds = (ms: number): string => ((ms * 1000) / expectations.length).toFixed(2);
  t.comment(
    `${files.size} files, ${expectations.length} references: createModuleResolver ${creationMs.toFixed(0)} ms; ` +
      `cold ${coldMs.toFixed(0)} ms (${microseconds(coldMs)} µs/resolve); ` +
      `memoized ${warmMs.toFixed(0)} ms (${microseconds(warmMs)} µs/resolve)`,
  );
});
