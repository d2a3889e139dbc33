/**
 * Generates a TypeScript monorepo for benchmarks: npm workspaces, tsconfig `paths`, barrels, cross-package
 * imports and tests, deterministic for a given size and seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mulberry32 } from '@velocity/core';

/** Shape of a generated repository. */
export interface GeneratedMonorepo {
  /** Files written (root-relative POSIX). */
  files: string[];
  /** Source modules (not tests, not barrels). */
  modules: string[];
  /** Test files. */
  tests: string[];
  /** Packages, as their directories (`packages/p0`). */
  packages: string[];
}

/** A body of realistic size (~1.7 KB, like the average TypeScript module) that uses its imports. */
function body(name: string, imported: string[]): string {
  const uses = imported.map((id) => `  total += ${id}(input.length);`).join('\n');
  return `
export interface ${name}Options {
  /** How many times to repeat, at least 1. */
  readonly repeat: number;
  /** A label for logs. */
  readonly label?: string;
}

export class ${name}Error extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = '${name}Error';
  }
}

/** Computes something from \`input\`. */
export function ${name}(input: string | number, options: ${name}Options = { repeat: 1 }): number {
  let total = typeof input === 'number' ? input : input.length;
  if (options.repeat < 1) throw new ${name}Error('repeat must be at least 1', 'E_REPEAT');
  const text = String(input);
${uses}
  for (let index = 0; index < options.repeat; index += 1) {
    total += text.charCodeAt(index % Math.max(text.length, 1)) || 0;
  }
  return options.label === undefined ? total : total + options.label.length;
}

export const ${name}Table: Record<string, number> = {
  alpha: 1,
  beta: 2,
  gamma: 3,
};
`;
}

/**
 * Writes a monorepo of about `size` files into `root`.
 *
 * @remarks
 * 20 packages; each module imports up to 3 modules: siblings (relative `.js` specifiers), other packages by
 * name (workspaces, through their barrel) or by tsconfig path (`@lib/pN/x`). One test per 4 modules.
 */
export function generateMonorepo(root: string, size: number, seed = 1): GeneratedMonorepo {
  const next = mulberry32(seed);
  const packageCount = 20;
  const perPackage = Math.max(4, Math.floor((size * 0.78) / packageCount));
  const files: string[] = [];
  const modules: string[] = [];
  const tests: string[] = [];
  const packages: string[] = [];
  const write = (path: string, text: string) => {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    files.push(path);
  };
  write(
    'package.json',
    `${JSON.stringify({ name: 'bench-mono', private: true, workspaces: ['packages/*'] }, null, 2)}\n`,
  );
  write(
    'tsconfig.json',
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          baseUrl: '.',
          paths: { '@lib/*': ['packages/*/src'] },
        },
      },
      null,
      2,
    )}\n`,
  );
  write('.gitignore', 'node_modules/\n.velocity/\n');
  const names = (p: number, m: number) => `p${p}m${m}`;
  for (let p = 0; p < packageCount; p += 1) {
    const dir = `packages/p${p}`;
    packages.push(dir);
    write(
      `${dir}/package.json`,
      `${JSON.stringify({ name: `@bench/p${p}`, main: 'dist/index.js', types: 'dist/index.d.ts' }, null, 2)}\n`,
    );
    const exported: string[] = [];
    for (let m = 0; m < perPackage; m += 1) {
      const name = names(p, m);
      const folder = `g${Math.floor(m / 25)}`;
      const path = `${dir}/src/${folder}/${name}.ts`;
      const imports: string[] = [];
      const used: string[] = [];
      const count = Math.floor(next() * 4);
      for (let i = 0; i < count; i += 1) {
        const kind = next();
        if (kind < 0.6 && m > 0) {
          const target = Math.floor(next() * m);
          const targetName = names(p, target);
          const targetFolder = `g${Math.floor(target / 25)}`;
          const spec =
            targetFolder === folder ? `./${targetName}.js` : `../${targetFolder}/${targetName}.js`;
          imports.push(`import { ${targetName} } from '${spec}';`);
          used.push(targetName);
        } else if (p > 0) {
          const otherPackage = Math.floor(next() * p);
          const target = Math.floor(next() * perPackage);
          const targetName = names(otherPackage, target);
          const spec =
            kind < 0.8
              ? `@bench/p${otherPackage}`
              : `@lib/p${otherPackage}/g${Math.floor(target / 25)}/${targetName}.js`;
          imports.push(`import { ${targetName} } from '${spec}';`);
          used.push(targetName);
        }
      }
      const unique = [...new Set(imports)];
      write(path, `${unique.join('\n')}\n${body(name, [...new Set(used)])}`);
      modules.push(path);
      exported.push(`export { ${name} } from './${folder}/${name}.js';`);
      if (m % 4 === 0) {
        const test = `${dir}/test/${name}.test.ts`;
        write(
          test,
          `import { ${name} } from '../src/${folder}/${name}.js';\nimport { test } from 'node:test';\n\ntest('${name}', () => {\n  if (${name}('abc') < 0) throw new Error('negative');\n});\n`,
        );
        tests.push(test);
      }
    }
    write(`${dir}/src/index.ts`, `${exported.join('\n')}\n`);
  }
  return { files, modules, tests, packages };
}
