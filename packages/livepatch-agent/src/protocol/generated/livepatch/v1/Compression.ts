// Original file: proto/livepatch/v1/livepatch.proto

export const Compression = {
  COMPRESSION_NONE: 'COMPRESSION_NONE',
  COMPRESSION_GZIP: 'COMPRESSION_GZIP',
} as const;

export type Compression =
  | 'COMPRESSION_NONE'
  | 0
  | 'COMPRESSION_GZIP'
  | 1

export type Compression__Output = typeof Compression[keyof typeof Compression]
