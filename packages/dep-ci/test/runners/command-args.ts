import t from 'tap';
import { InternalError } from '@velocity/core';
import {
  appendArguments,
  pathArgument,
  programName,
  requireTests,
  scriptInvocation,
} from '../../src/runners/command-args.js';

t.test('programName strips the directory and an executable extension', async (t) => {
  t.equal(programName('./node_modules/.bin/jest'), 'jest');
  t.equal(programName('C:\\tools\\npm.CMD'), 'npm');
  t.equal(programName('node_modules/mocha/bin/_mocha.js'), '_mocha');
  t.equal(programName('vitest.config.ts'), 'vitest.config.ts');
});

t.test('scriptInvocation recognises npm, yarn and pnpm script forms', async (t) => {
  t.strictSame(scriptInvocation(['npm', 'test']), { manager: 'npm', script: 'test' });
  t.strictSame(scriptInvocation(['npm', 't']), { manager: 'npm', script: 'test' });
  t.strictSame(scriptInvocation(['npm', '--silent', 'run', 'test:unit']), {
    manager: 'npm',
    script: 'test:unit',
  });
  t.strictSame(scriptInvocation(['npm', 'run-script', 'unit', '--', '-x']), {
    manager: 'npm',
    script: 'unit',
  });
  t.strictSame(scriptInvocation(['yarn', 'test']), { manager: 'yarn', script: 'test' });
  t.strictSame(scriptInvocation(['yarn', 'unit']), { manager: 'yarn', script: 'unit' });
  t.strictSame(scriptInvocation(['pnpm', 'run', 'unit']), { manager: 'pnpm', script: 'unit' });
  t.strictSame(scriptInvocation(['pnpm', '--filter=a', 'test']), {
    manager: 'pnpm',
    script: 'test',
  });
});

t.test('scriptInvocation is undefined for commands that run no script', async (t) => {
  for (const command of [
    ['npx', 'jest'],
    ['npm', 'exec', 'jest'],
    ['npm', 'run'],
    ['npm'],
    ['pnpm', 'exec', 'vitest'],
    ['yarn', 'dlx', 'jest'],
    ['yarn', 'run'],
    ['yarn', '--version'],
    [],
  ]) {
    t.equal(scriptInvocation(command), undefined, command.join(' '));
  }
});

t.test('appendArguments puts -- before arguments to an npm script, once', async (t) => {
  t.strictSame(appendArguments(['npm', 'test'], ['a']), ['npm', 'test', '--', 'a']);
  t.strictSame(appendArguments(['npm', 'run', 'unit'], ['a']), ['npm', 'run', 'unit', '--', 'a']);
  t.strictSame(appendArguments(['npm', 'test', '--', '--ci'], ['a']), [
    'npm',
    'test',
    '--',
    '--ci',
    'a',
  ]);
});

t.test('appendArguments adds no -- for yarn, pnpm or a direct command', async (t) => {
  t.strictSame(appendArguments(['yarn', 'test'], ['a']), ['yarn', 'test', 'a']);
  t.strictSame(appendArguments(['pnpm', 'test'], ['a']), ['pnpm', 'test', 'a']);
  t.strictSame(appendArguments(['npx', 'jest'], ['a']), ['npx', 'jest', 'a']);
});

t.test('pathArgument keeps a path that starts with - from reading as an option', async (t) => {
  t.equal(pathArgument('-odd.test.js'), './-odd.test.js');
  t.equal(pathArgument('a/-b.test.js'), 'a/-b.test.js');
});

t.test('requireTests refuses an empty list', async (t) => {
  t.throws(() => requireTests('jest', []), InternalError);
  t.doesNotThrow(() => requireTests('jest', ['a']));
});
