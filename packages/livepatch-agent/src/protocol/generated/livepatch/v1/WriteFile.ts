// Original file: proto/livepatch/v1/livepatch.proto

import type { ContentEncoding as _livepatch_v1_ContentEncoding, ContentEncoding__Output as _livepatch_v1_ContentEncoding__Output } from '../../livepatch/v1/ContentEncoding.js';
import type { Compression as _livepatch_v1_Compression, Compression__Output as _livepatch_v1_Compression__Output } from '../../livepatch/v1/Compression.js';
import type { Long } from '@grpc/proto-loader';

export interface WriteFile {
  'encoding'?: (_livepatch_v1_ContentEncoding);
  'compression'?: (_livepatch_v1_Compression);
  'payloadSize'?: (number | string | Long);
  /**
   * Size of the payload before compression (bounded by the agent).
   */
  'uncompressedSize'?: (number | string | Long);
  /**
   * Whole-file hash of the basis a delta or append applies to.
   */
  'basisHash'?: (Buffer | Uint8Array | string);
  /**
   * For COPY: the agent path holding the same content.
   */
  'source'?: (string);
  /**
   * Whole-file hash and size of the result; the rebuilt file is verified against them.
   */
  'hash'?: (Buffer | Uint8Array | string);
  'size'?: (number | string | Long);
  'mode'?: (number);
}

export interface WriteFile__Output {
  'encoding': (_livepatch_v1_ContentEncoding__Output);
  'compression': (_livepatch_v1_Compression__Output);
  'payloadSize': (number);
  /**
   * Size of the payload before compression (bounded by the agent).
   */
  'uncompressedSize': (number);
  /**
   * Whole-file hash of the basis a delta or append applies to.
   */
  'basisHash': (Buffer);
  /**
   * For COPY: the agent path holding the same content.
   */
  'source': (string);
  /**
   * Whole-file hash and size of the result; the rebuilt file is verified against them.
   */
  'hash': (Buffer);
  'size': (number);
  'mode': (number);
}
