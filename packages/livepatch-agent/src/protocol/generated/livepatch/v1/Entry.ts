// Original file: proto/livepatch/v1/livepatch.proto

import type { EntryType as _livepatch_v1_EntryType, EntryType__Output as _livepatch_v1_EntryType__Output } from '../../livepatch/v1/EntryType.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One entry of a directory listing.
 */
export interface Entry {
  'name'?: (string);
  'type'?: (_livepatch_v1_EntryType);
  /**
   * Permission bits (mode & 0o777: setuid, setgid and sticky dropped); only the executable bit is compared
   * unless full modes are asked for.
   */
  'mode'?: (number);
  /**
   * Bytes, for files.
   */
  'size'?: (number | string | Long);
  /**
   * Content hash for files, subtree hash for directories, hash of the target for symlinks.
   */
  'hash'?: (Buffer | Uint8Array | string);
  /**
   * Symlinks: the link's target, as stored.
   */
  'target'?: (string);
}

/**
 * One entry of a directory listing.
 */
export interface Entry__Output {
  'name': (string);
  'type': (_livepatch_v1_EntryType__Output);
  /**
   * Permission bits (mode & 0o777: setuid, setgid and sticky dropped); only the executable bit is compared
   * unless full modes are asked for.
   */
  'mode': (number);
  /**
   * Bytes, for files.
   */
  'size': (number);
  /**
   * Content hash for files, subtree hash for directories, hash of the target for symlinks.
   */
  'hash': (Buffer);
  /**
   * Symlinks: the link's target, as stored.
   */
  'target': (string);
}
