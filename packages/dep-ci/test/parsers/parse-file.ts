import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseFile } from '../../src/parsers/parse-file.js';
import type { Language, ParseResult } from '../../src/types.js';

/** A parser that records what it was given. */
function recordingParser() {
  const seen: Array<[string, Language]> = [];
  const parser = {
    parse: (source: string, language: Language): ParseResult => {
      seen.push([source, language]);
      return { references: [], unparsable: false };
    },
  };
  return { parser, seen };
}

t.test(
  'reads the file under the root and decodes it as UTF-8, as Buffer#toString does',
  async (t) => {
    const root = t.testdir({ src: {} });
    // A byte-order mark, "é", and a byte that is not UTF-8.
    writeFileSync(join(root, 'src/a.py'), Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9, 0xff]));
    const { parser, seen } = recordingParser();
    t.strictSame(parseFile(parser, root, { path: 'src/a.py', language: 'python' }), {
      references: [],
      unparsable: false,
    });
    t.strictSame(seen, [['\ufeffaé\ufffd', 'python']]);
  },
);

t.test('a file that cannot be read is unparsable, named by its error code only', async (t) => {
  const root = t.testdir();
  mkdirSync(join(root, 'dir.ts'));
  const { parser, seen } = recordingParser();
  t.strictSame(parseFile(parser, root, { path: 'nope.ts', language: 'typescript' }), {
    references: [],
    unparsable: true,
    error: 'could not read the file (ENOENT)',
  });
  t.strictSame(parseFile(parser, root, { path: 'dir.ts', language: 'typescript' }), {
    references: [],
    unparsable: true,
    error: 'could not read the file (EISDIR)',
  });
  t.strictSame(seen, []);
});
