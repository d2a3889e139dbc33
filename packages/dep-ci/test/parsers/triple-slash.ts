import t from 'tap';
import { readTripleSlash } from '../../src/parsers/triple-slash.js';

t.test('path and types directives are read', async (t) => {
  t.strictSame(readTripleSlash('/// <reference path="./a.d.ts" />'), {
    specifier: './a.d.ts',
    typeOnly: false,
  });
  t.strictSame(readTripleSlash("///<reference types='node'/>"), {
    specifier: 'node',
    typeOnly: true,
  });
});

t.test('other comments are not', async (t) => {
  for (const text of [
    '/// <reference lib="dom" />',
    '/// <reference no-default-lib="true" />',
    '/// <amd-module name="x" />',
    '/// a comment',
    '/// <reference path="" />',
    '// <reference path="./a.d.ts" />',
  ]) {
    t.equal(readTripleSlash(text), undefined, text);
  }
});
