// Original file: proto/livepatch/v1/livepatch.proto

export const EntryType = {
  ENTRY_TYPE_UNSPECIFIED: 'ENTRY_TYPE_UNSPECIFIED',
  ENTRY_TYPE_FILE: 'ENTRY_TYPE_FILE',
  ENTRY_TYPE_DIRECTORY: 'ENTRY_TYPE_DIRECTORY',
  ENTRY_TYPE_SYMLINK: 'ENTRY_TYPE_SYMLINK',
} as const;

export type EntryType =
  | 'ENTRY_TYPE_UNSPECIFIED'
  | 0
  | 'ENTRY_TYPE_FILE'
  | 1
  | 'ENTRY_TYPE_DIRECTORY'
  | 2
  | 'ENTRY_TYPE_SYMLINK'
  | 3

export type EntryType__Output = typeof EntryType[keyof typeof EntryType]
