// Original file: proto/livepatch/v1/livepatch.proto


export interface LogsRequest {
  /**
   * Keep streaming new events; otherwise only the recent ones kept in memory.
   */
  'follow'?: (boolean);
}

export interface LogsRequest__Output {
  /**
   * Keep streaming new events; otherwise only the recent ones kept in memory.
   */
  'follow': (boolean);
}
