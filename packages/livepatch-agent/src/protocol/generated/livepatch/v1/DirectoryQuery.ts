// Original file: proto/livepatch/v1/livepatch.proto


export interface DirectoryQuery {
  /**
   * "" is the root.
   */
  'path'?: (string);
  /**
   * The CLI's hash of that directory; the listing is sent only when the agent's differs.
   */
  'hash'?: (Buffer | Uint8Array | string);
}

export interface DirectoryQuery__Output {
  /**
   * "" is the root.
   */
  'path': (string);
  /**
   * The CLI's hash of that directory; the listing is sent only when the agent's differs.
   */
  'hash': (Buffer);
}
