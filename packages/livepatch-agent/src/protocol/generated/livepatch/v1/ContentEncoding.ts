// Original file: proto/livepatch/v1/livepatch.proto

/**
 * How a file's new content is carried.
 */
export const ContentEncoding = {
  CONTENT_ENCODING_UNSPECIFIED: 'CONTENT_ENCODING_UNSPECIFIED',
  /**
   * The payload is the whole content.
   */
  CONTENT_ENCODING_WHOLE: 'CONTENT_ENCODING_WHOLE',
  /**
   * The payload is an rsync-style delta against the basis whose hash is basis_hash.
   */
  CONTENT_ENCODING_DELTA: 'CONTENT_ENCODING_DELTA',
  /**
   * No payload: the content equals the agent's file at `source` (a copy by content hash).
   */
  CONTENT_ENCODING_COPY: 'CONTENT_ENCODING_COPY',
  /**
   * The payload is the bytes to append to the basis (append-only growth).
   */
  CONTENT_ENCODING_APPEND: 'CONTENT_ENCODING_APPEND',
} as const;

/**
 * How a file's new content is carried.
 */
export type ContentEncoding =
  | 'CONTENT_ENCODING_UNSPECIFIED'
  | 0
  /**
   * The payload is the whole content.
   */
  | 'CONTENT_ENCODING_WHOLE'
  | 1
  /**
   * The payload is an rsync-style delta against the basis whose hash is basis_hash.
   */
  | 'CONTENT_ENCODING_DELTA'
  | 2
  /**
   * No payload: the content equals the agent's file at `source` (a copy by content hash).
   */
  | 'CONTENT_ENCODING_COPY'
  | 3
  /**
   * The payload is the bytes to append to the basis (append-only growth).
   */
  | 'CONTENT_ENCODING_APPEND'
  | 4

/**
 * How a file's new content is carried.
 */
export type ContentEncoding__Output = typeof ContentEncoding[keyof typeof ContentEncoding]
