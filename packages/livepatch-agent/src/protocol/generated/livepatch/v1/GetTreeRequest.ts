// Original file: proto/livepatch/v1/livepatch.proto

import type { DirectoryQuery as _livepatch_v1_DirectoryQuery, DirectoryQuery__Output as _livepatch_v1_DirectoryQuery__Output } from '../../livepatch/v1/DirectoryQuery.js';
import type { IgnoreFile as _livepatch_v1_IgnoreFile, IgnoreFile__Output as _livepatch_v1_IgnoreFile__Output } from '../../livepatch/v1/IgnoreFile.js';

export interface GetTreeRequest {
  'directories'?: (_livepatch_v1_DirectoryQuery)[];
  /**
   * Compare full permission bits, not only the executable bit.
   */
  'fullModes'?: (boolean);
  /**
   * Rules beyond the built-in defaults; the same for every request of a session.
   */
  'ignore'?: (_livepatch_v1_IgnoreFile)[];
}

export interface GetTreeRequest__Output {
  'directories': (_livepatch_v1_DirectoryQuery__Output)[];
  /**
   * Compare full permission bits, not only the executable bit.
   */
  'fullModes': (boolean);
  /**
   * Rules beyond the built-in defaults; the same for every request of a session.
   */
  'ignore': (_livepatch_v1_IgnoreFile__Output)[];
}
