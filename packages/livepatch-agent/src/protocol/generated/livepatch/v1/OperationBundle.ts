// Original file: proto/livepatch/v1/livepatch.proto

import type { InlineOperation as _livepatch_v1_InlineOperation, InlineOperation__Output as _livepatch_v1_InlineOperation__Output } from '../../livepatch/v1/InlineOperation.js';

/**
 * Many small operations in one message. A gRPC server reads one message per turn of its event loop, so a
 * message per small file made the transfer of many small files latency-bound.
 */
export interface OperationBundle {
  'operations'?: (_livepatch_v1_InlineOperation)[];
}

/**
 * Many small operations in one message. A gRPC server reads one message per turn of its event loop, so a
 * message per small file made the transfer of many small files latency-bound.
 */
export interface OperationBundle__Output {
  'operations': (_livepatch_v1_InlineOperation__Output)[];
}
