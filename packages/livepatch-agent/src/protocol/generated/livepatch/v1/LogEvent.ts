// Original file: proto/livepatch/v1/livepatch.proto

import type { Long } from '@grpc/proto-loader';

export interface LogEvent {
  /**
   * Unix time, ms.
   */
  'timeMs'?: (number | string | Long);
  /**
   * stdout | stderr | event
   */
  'stream'?: (string);
  /**
   * For events: batch-applied | reload | restart | rollback | crash | exec.
   */
  'kind'?: (string);
  'text'?: (string);
  'batchId'?: (string);
}

export interface LogEvent__Output {
  /**
   * Unix time, ms.
   */
  'timeMs': (number);
  /**
   * stdout | stderr | event
   */
  'stream': (string);
  /**
   * For events: batch-applied | reload | restart | rollback | crash | exec.
   */
  'kind': (string);
  'text': (string);
  'batchId': (string);
}
