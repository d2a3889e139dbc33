// Original file: proto/livepatch/v1/livepatch.proto

import type { Entry as _livepatch_v1_Entry, Entry__Output as _livepatch_v1_Entry__Output } from '../../livepatch/v1/Entry.js';

export interface DirectoryListing {
  'path'?: (string);
  'hash'?: (Buffer | Uint8Array | string);
  /**
   * Empty with same = true: the agent's directory hashes alike.
   */
  'same'?: (boolean);
  /**
   * False when the directory does not exist at the agent.
   */
  'exists'?: (boolean);
  'entries'?: (_livepatch_v1_Entry)[];
}

export interface DirectoryListing__Output {
  'path': (string);
  'hash': (Buffer);
  /**
   * Empty with same = true: the agent's directory hashes alike.
   */
  'same': (boolean);
  /**
   * False when the directory does not exist at the agent.
   */
  'exists': (boolean);
  'entries': (_livepatch_v1_Entry__Output)[];
}
