// Original file: proto/livepatch/v1/livepatch.proto


export interface BatchHeader {
  /**
   * Chosen by the CLI, echoed in events.
   */
  'batchId'?: (string);
  /**
   * Operations that follow.
   */
  'operations'?: (number);
}

export interface BatchHeader__Output {
  /**
   * Chosen by the CLI, echoed in events.
   */
  'batchId': (string);
  /**
   * Operations that follow.
   */
  'operations': (number);
}
