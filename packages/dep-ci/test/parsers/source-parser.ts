import t from 'tap';
import { SourceParser, nodeModulesGrammars } from '../../src/parsers/index.js';
import type { Language } from '../../src/types.js';

const parser = await SourceParser.create(nodeModulesGrammars());

t.test(
  'a local syntax error keeps the file parsable and adds the fallback references',
  async (t) => {
    const source = [
      "import a from './a';",
      "export import w = require('./w');",
      'const broken = ;',
      "const b = require('./b');",
      '',
    ].join('\n');
    t.strictSame(parser.parse(source, 'typescript'), {
      references: [
        { specifier: './a', kind: 'import', typeOnly: false, line: 1 },
        { specifier: './w', kind: 'import-equals', typeOnly: false, line: 2 },
        { specifier: './b', kind: 'require', typeOnly: false, line: 4 },
      ],
      unparsable: false,
    });
  },
);

t.test(
  'references the grammar swallowed into an unterminated template are still found',
  async (t) => {
    t.strictSame(parser.parse('const a = `unterminated;\nimport b from "./b";\n', 'typescript'), {
      references: [{ specifier: './b', kind: 'import', typeOnly: false, line: 2 }],
      unparsable: false,
    });
  },
);

t.test(
  'a file that is mostly not the language is unparsable, with the fallback references',
  async (t) => {
    const prose = [
      "This is not code. It says require('./x') in passing, and then more words follow here.",
      'And another line of prose, with no code at all in it.',
      '',
    ].join('\n');
    t.strictSame(parser.parse(prose, 'typescript'), {
      references: [{ specifier: './x', kind: 'require', typeOnly: false, line: 1 }],
      unparsable: true,
      error: 'syntax error at 1:1',
    });
  },
);

t.test('a truncated file is unparsable, and its references are all found', async (t) => {
  const source = "import { a } from './a'\nclass C {\n  m() {\n    return require('./m')\n";
  t.strictSame(parser.parse(source, 'typescript'), {
    references: [
      { specifier: './a', kind: 'import', typeOnly: false, line: 1 },
      { specifier: './m', kind: 'require', typeOnly: false, line: 4 },
    ],
    unparsable: true,
    error: 'syntax error at 1:1',
  });
});

t.test('the error position is the first error, 1-based, in UTF-16 columns', async (t) => {
  const source =
    "// ü😀\nconst s = '😀'; @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@ @@@\nimport './x.js';\n";
  t.match(parser.parse(source, 'typescript'), { unparsable: true, error: 'syntax error at 2:17' });
  t.strictSame(
    parser.parse('const broken = ((( @@@ but no reference to another file\n', 'typescript'),
    { references: [], unparsable: false },
    'with no trigger at all nothing is parsed: no reference can hide there',
  );
});

t.test('a parse that runs out of time is unparsable, with the fallback references', async (t) => {
  const impatient = await SourceParser.create(nodeModulesGrammars(), {
    languages: ['javascript'],
    timeoutMs: 0,
  });
  const source = `${'const x = [1, 2, 3].map((y) => y * 2);\n'.repeat(5_000)}const a = require('./a');\n`;
  t.strictSame(impatient.parse(source, 'javascript'), {
    references: [{ specifier: './a', kind: 'require', typeOnly: false, line: 5001 }],
    unparsable: true,
    error: 'Parsing timed out after 0 ms.',
  });
  t.strictSame(parser.parse(source, 'javascript'), {
    references: [{ specifier: './a', kind: 'require', typeOnly: false, line: 5001 }],
    unparsable: false,
  });
});

t.test('the parser starts afresh after a parse that ran out of time', async (t) => {
  const impatient = await SourceParser.create(nodeModulesGrammars(), {
    languages: ['javascript'],
    timeoutMs: 0,
  });
  impatient.parse('const x = 1;\n'.repeat(10_000), 'javascript');
  t.strictSame(impatient.parse("require('./small');\n", 'javascript'), {
    references: [{ specifier: './small', kind: 'require', typeOnly: false, line: 1 }],
    unparsable: false,
  });
});

t.test(
  'parsing a language whose grammar was not loaded returns the fallback, not an exception',
  async (t) => {
    const pythonOnly = await SourceParser.create(nodeModulesGrammars(), { languages: ['python'] });
    t.strictSame(pythonOnly.parse("import a from './a';\n", 'typescript'), {
      references: [{ specifier: './a', kind: 'import', typeOnly: false, line: 1 }],
      unparsable: true,
      error: 'Grammar "typescript" was not loaded. Add it to SourceParserOptions.languages.',
    });
    t.match(pythonOnly.parse("require 'x'\n", 'ruby' as Language), {
      unparsable: true,
      error: /"ruby" was not loaded/,
    });
  },
);

t.test('odd text never throws', async (t) => {
  for (const source of [
    '',
    '\0\0\0',
    '\uD800 lone surrogate',
    '\uFEFFimport a from "./bom";',
    'x'.repeat(100_000),
  ]) {
    for (const language of ['typescript', 'tsx', 'javascript', 'python'] as const) {
      t.doesNotThrow(
        () => parser.parse(source, language),
        `${language}: ${JSON.stringify(source.slice(0, 20))}`,
      );
    }
  }
  t.strictSame(parser.parse('\uFEFFimport a from "./bom";', 'typescript').references, [
    { specifier: './bom', kind: 'import', typeOnly: false, line: 1 },
  ]);
});

t.test('several parsers share the one web-tree-sitter runtime', async (t) => {
  const [first, second] = await Promise.all([
    SourceParser.create(nodeModulesGrammars(), { languages: ['typescript'] }),
    SourceParser.create(nodeModulesGrammars(), { languages: ['typescript'] }),
  ]);
  const source = "import a from './a';\n";
  t.strictSame(first.parse(source, 'typescript'), second.parse(source, 'typescript'));
  t.strictSame(parser.parse(source, 'typescript').references, [
    { specifier: './a', kind: 'import', typeOnly: false, line: 1 },
  ]);
});

t.test('a clean header is parsed alone; anything else falls back to the whole file', async (t) => {
  const body = 'export function f(x: number) {\n  return `${x}`;\n}\n'.repeat(50);
  const header = "import { a } from './a.js';\nimport {\n  b,\n  c,\n} from './b.js';\n";
  t.strictSame(parser.parse(header + body, 'typescript'), {
    references: [
      { specifier: './a.js', kind: 'import', typeOnly: false, line: 1 },
      { specifier: './b.js', kind: 'import', typeOnly: false, line: 5 },
    ],
    unparsable: false,
  });
  // The last trigger sits inside a function: the header ends mid-block, so the whole file is parsed.
  const late = `${header}${body}export function g() {\n  return require('./late.js');\n}\n${body}`;
  t.strictSame(
    parser.parse(late, 'typescript').references.map((reference) => reference.specifier),
    ['./a.js', './b.js', './late.js'],
  );
  // Past a clean header nothing can hold a reference, so text there is not parsed at all...
  const tail = `${header}${body}${'@@@ '.repeat(4000)}\n`;
  t.match(parser.parse(tail, 'typescript'), { unparsable: false, references: [{}, {}] });
  // ...but a broken header is parsed whole, and recorded.
  const broken = `${header}${'@@@ '.repeat(4000)}\nimport { z } from './z.js';\n${body}`;
  t.match(parser.parse(broken, 'typescript'), { unparsable: true });
});
