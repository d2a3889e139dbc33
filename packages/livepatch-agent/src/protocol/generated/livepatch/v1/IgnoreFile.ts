// Original file: proto/livepatch/v1/livepatch.proto


/**
 * The CLI's ignore rules: the agent leaves the same paths out of its tree (and so never deletes
 * them), so that both sides hash alike.
 */
export interface IgnoreFile {
  /**
   * The directory the rules apply to, "" for the root.
   */
  'directory'?: (string);
  /**
   * gitignore syntax.
   */
  'text'?: (string);
}

/**
 * The CLI's ignore rules: the agent leaves the same paths out of its tree (and so never deletes
 * them), so that both sides hash alike.
 */
export interface IgnoreFile__Output {
  /**
   * The directory the rules apply to, "" for the root.
   */
  'directory': (string);
  /**
   * gitignore syntax.
   */
  'text': (string);
}
