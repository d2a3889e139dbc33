// Original file: proto/livepatch/v1/livepatch.proto


export interface ReloadReport {
  /**
   * sync | signal | restart | exec
   */
  'action'?: (string);
  /**
   * What was done, e.g. "SIGHUP to pid 42" or "npm install exited 0".
   */
  'detail'?: (string);
  'ok'?: (boolean);
}

export interface ReloadReport__Output {
  /**
   * sync | signal | restart | exec
   */
  'action': (string);
  /**
   * What was done, e.g. "SIGHUP to pid 42" or "npm install exited 0".
   */
  'detail': (string);
  'ok': (boolean);
}
