import t from 'tap';
import { VelocityError } from '@velocity/core';
import {
  InvalidTreeListingError,
  InvalidTreePathError,
  TreeReadError,
  TreeRootNotFoundError,
} from '../../src/tree/errors.js';

t.test(
  'every error is a VelocityError with its own code, name and one-sentence remedy',
  async (t) => {
    const cause = Object.assign(new Error('denied'), { code: 'EACCES' });
    const cases: Array<[VelocityError, string, string]> = [
      [
        new TreeRootNotFoundError('/src'),
        'LIVEPATCH_TREE_ROOT_NOT_FOUND',
        'Tree root "/src" does not exist. Create it or pass an existing directory.',
      ],
      [
        new TreeRootNotFoundError('/src/f', { notDirectory: true }),
        'LIVEPATCH_TREE_ROOT_NOT_FOUND',
        'Tree root "/src/f" is not a directory. Pass a directory to mirror.',
      ],
      [
        new TreeReadError('/src/x', { cause }),
        'LIVEPATCH_TREE_READ_FAILED',
        'Cannot read "/src/x" (EACCES). Fix its permissions or add it to .livepatchignore.',
      ],
      [
        new TreeReadError('/src/y'),
        'LIVEPATCH_TREE_READ_FAILED',
        'Cannot read "/src/y" (unknown error). Fix its permissions or add it to .livepatchignore.',
      ],
      [
        new InvalidTreePathError('a/../b\n'),
        'LIVEPATCH_TREE_INVALID_PATH',
        'Tree path "a/../b\\n" is not a root-relative POSIX path. Use "/"-separated names without "", ".", "..", NUL or backslashes, and "" for the root.',
      ],
      [
        new InvalidTreeListingError('src', 'entry "x" is listed twice'),
        'LIVEPATCH_TREE_INVALID_LISTING',
        'The listing of "src" is invalid: entry "x" is listed twice. Run the same LivePatch version on both sides.',
      ],
    ];
    for (const [error, code, message] of cases) {
      t.ok(error instanceof VelocityError, code);
      t.equal(error.code, code);
      t.equal(error.name, error.constructor.name);
      t.equal(error.exitCode, 1);
      t.equal(error.message, message);
    }
    t.equal(new TreeReadError('/src/x', { cause }).cause, cause);
  },
);
