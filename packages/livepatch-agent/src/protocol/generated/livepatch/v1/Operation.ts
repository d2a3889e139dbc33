// Original file: proto/livepatch/v1/livepatch.proto

import type { WriteFile as _livepatch_v1_WriteFile, WriteFile__Output as _livepatch_v1_WriteFile__Output } from '../../livepatch/v1/WriteFile.js';
import type { RemoveEntry as _livepatch_v1_RemoveEntry, RemoveEntry__Output as _livepatch_v1_RemoveEntry__Output } from '../../livepatch/v1/RemoveEntry.js';
import type { RenameEntry as _livepatch_v1_RenameEntry, RenameEntry__Output as _livepatch_v1_RenameEntry__Output } from '../../livepatch/v1/RenameEntry.js';
import type { MakeDirectory as _livepatch_v1_MakeDirectory, MakeDirectory__Output as _livepatch_v1_MakeDirectory__Output } from '../../livepatch/v1/MakeDirectory.js';
import type { MakeSymlink as _livepatch_v1_MakeSymlink, MakeSymlink__Output as _livepatch_v1_MakeSymlink__Output } from '../../livepatch/v1/MakeSymlink.js';
import type { SetMode as _livepatch_v1_SetMode, SetMode__Output as _livepatch_v1_SetMode__Output } from '../../livepatch/v1/SetMode.js';

/**
 * One change. Payload bytes (payload_size of them, after compression) follow in data chunks.
 */
export interface Operation {
  'path'?: (string);
  'write'?: (_livepatch_v1_WriteFile | null);
  'remove'?: (_livepatch_v1_RemoveEntry | null);
  'rename'?: (_livepatch_v1_RenameEntry | null);
  'mkdir'?: (_livepatch_v1_MakeDirectory | null);
  'symlink'?: (_livepatch_v1_MakeSymlink | null);
  'chmod'?: (_livepatch_v1_SetMode | null);
  'change'?: "write"|"remove"|"rename"|"mkdir"|"symlink"|"chmod";
}

/**
 * One change. Payload bytes (payload_size of them, after compression) follow in data chunks.
 */
export interface Operation__Output {
  'path': (string);
  'write'?: (_livepatch_v1_WriteFile__Output | null);
  'remove'?: (_livepatch_v1_RemoveEntry__Output | null);
  'rename'?: (_livepatch_v1_RenameEntry__Output | null);
  'mkdir'?: (_livepatch_v1_MakeDirectory__Output | null);
  'symlink'?: (_livepatch_v1_MakeSymlink__Output | null);
  'chmod'?: (_livepatch_v1_SetMode__Output | null);
  'change'?: "write"|"remove"|"rename"|"mkdir"|"symlink"|"chmod";
}
