import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { interpolate } from '../../src/config/interpolate.js';

const context = (baseDir: string, env: Record<string, string | undefined> = {}) => ({
  env,
  baseDir,
  readFile: (path: string) => readFile(path, 'utf8'),
});

t.test('text without references is unchanged', async (t) => {
  t.strictSame(await interpolate('plain $HOME {x} $ {y}', context('/')), {
    ok: true,
    value: 'plain $HOME {x} $ {y}',
    interpolated: false,
    fileContents: [],
  });
});

t.test('${env:NAME} is replaced, whole or embedded', async (t) => {
  const ctx = context('/', { TOKEN: 'abc', EMPTY: '' });
  t.strictSame(await interpolate('${env:TOKEN}', ctx), {
    ok: true,
    value: 'abc',
    interpolated: true,
    fileContents: [],
  });
  t.match(await interpolate('redis://:${env:TOKEN}@h:1/${env:EMPTY}', ctx), {
    value: 'redis://:abc@h:1/',
  });
  t.match(
    await interpolate('${env:TOKEN}', context('/', { TOKEN: '${env:OTHER}' })),
    {
      value: '${env:OTHER}',
    },
    'values are not expanded again',
  );
});

t.test('${file:PATH} reads a file relative to baseDir and strips one newline', async (t) => {
  const dir = t.testdir({
    'key.pem': 'line1\nline2\n\n',
    crlf: 'x\r\n',
    sub: { 'a.txt': 'A' },
  });
  t.strictSame(await interpolate('${file:key.pem}', context(dir)), {
    ok: true,
    value: 'line1\nline2\n',
    interpolated: true,
    fileContents: ['line1\nline2\n'],
  });
  t.match(await interpolate('${file:crlf}', context(dir)), { value: 'x' });
  t.match(await interpolate(`<\${file:${join(dir, 'sub', 'a.txt')}}>`, context('/')), {
    value: '<A>',
  });
});

t.test('$${ is a literal ${', async (t) => {
  t.strictSame(await interpolate('$${env:X} and $${', context('/')), {
    ok: true,
    value: '${env:X} and ${',
    interpolated: false,
    fileContents: [],
  });
});

t.test('problems name the reference and a remedy', async (t) => {
  const dir = t.testdir({});
  t.strictSame(
    await interpolate(
      '${env:NOPE}-${file:missing.txt}-${vault:x}-${nocolon}-${env:}',
      context(dir),
    ),
    {
      ok: false,
      problems: [
        'environment variable "NOPE" is not set; set it, or remove the ${env:NOPE} reference',
        `cannot read "${join(dir, 'missing.txt')}" for \${file:missing.txt} (ENOENT); fix the path (relative paths start at ${dir}) or the file's permissions`,
        'unsupported reference; write ${env:NAME} or ${file:PATH}, or "$${" for a literal "${"',
        'unsupported reference; write ${env:NAME} or ${file:PATH}, or "$${" for a literal "${"',
        'unsupported reference; write ${env:NAME} or ${file:PATH}, or "$${" for a literal "${"',
      ],
    },
  );
  t.strictSame(await interpolate('a ${env:X', context(dir, { X: '1' })), {
    ok: false,
    problems: [
      'unterminated "${"; close the reference with "}", or write "$${" for a literal "${"',
    ],
  });
  const failing = {
    env: {},
    baseDir: dir,
    readFile: () => Promise.reject(new Error('no code')),
  };
  t.match(await interpolate('${file:x}', failing), {
    ok: false,
    problems: [/\(unreadable\)/],
  });
});
