import t from 'tap';
import { parseYamlSource } from '../../src/config/yaml-source.js';

t.test('returns the data and the position of every key and value', async (t) => {
  const source = parseYamlSource(
    'log:\n  level: debug\nlivepatch:\n  reload:\n    - paths: [a, b]\n      action: sync\n  agent:\n',
    'velocity.yaml',
  );
  t.strictSame(source.issues, []);
  t.strictSame(source.data, {
    log: { level: 'debug' },
    livepatch: {
      reload: [{ paths: ['a', 'b'], action: 'sync' }],
      agent: null,
    },
  });
  t.match(source.locations.get('log.level'), {
    key: { line: 2, column: 3 },
    value: { line: 2, column: 10 },
  });
  t.match(source.locations.get('livepatch.reload[0]'), {
    value: { line: 5, column: 7 },
  });
  t.notOk(source.locations.get('livepatch.reload[0]')?.key, 'list items have no key');
  t.match(source.locations.get('livepatch.reload[0].paths[1]'), {
    value: { line: 5, column: 18 },
  });
  t.match(
    source.locations.get('livepatch.agent'),
    { key: { line: 7, column: 3 } },
    'an empty value has a position',
  );
});

t.test('an empty or comment-only file is an empty mapping', async (t) => {
  for (const text of ['', '# nothing yet\n', '---\n']) {
    const source = parseYamlSource(text, 'velocity.yaml');
    t.strictSame(source.data, {}, JSON.stringify(text));
    t.strictSame(source.issues, []);
  }
});

t.test('syntax errors are issues at their position, without quoting the source', async (t) => {
  const source = parseYamlSource('quantumMerge:\n  githubToken: "ghp_secret\n', 'velocity.yaml');
  t.equal(source.data, undefined);
  t.strictSame(source.issues, [
    {
      file: 'velocity.yaml',
      line: 3,
      column: 1,
      path: 'quantumMerge.githubToken',
      message: 'invalid YAML: Missing closing "quote',
    },
  ]);
  const flow = parseYamlSource('log: {level: info\n', 'v.yaml');
  t.match(flow.issues[0], {
    file: 'v.yaml',
    line: 2,
    column: 1,
    message: /^invalid YAML: /,
  });
});

t.test('duplicate keys are issues at the second key', async (t) => {
  const source = parseYamlSource('depCi:\n  runner: jest\n  runner: vitest\n', 'velocity.yaml');
  t.strictSame(source.issues, [
    {
      file: 'velocity.yaml',
      line: 3,
      column: 3,
      path: 'depCi.runner',
      message: 'duplicate key "runner"; each key may appear only once',
    },
  ]);
});

t.test('a root that is not a mapping is an issue', async (t) => {
  t.match(parseYamlSource('just text\n', 'v.yaml').issues, [
    {
      line: 1,
      column: 1,
      path: '',
      message: /at the top level, got a scalar$/,
    },
  ]);
  t.match(parseYamlSource('- a\n', 'v.yaml').issues, [{ path: '', message: /got a list$/ }]);
});

t.test('an alias bomb is an issue, not a hang', async (t) => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++) {
    const ref = `*${String.fromCharCode(96 + i)}`;
    lines.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(ref).join(', ')}]`,
    );
  }
  const source = parseYamlSource(`${lines.join('\n')}\n`, 'v.yaml');
  t.equal(source.data, undefined);
  t.match(source.issues, [{ path: '', line: 1, column: 1, message: /^invalid YAML: / }]);
});

t.test('YAML warnings are passed on with their position', async (t) => {
  const source = parseYamlSource('%FOO bar\n---\nlog: {}\n', 'v.yaml');
  t.match(source.warnings, [/^v\.yaml:1:1 /]);
  t.strictSame(source.data, { log: {} });
});
