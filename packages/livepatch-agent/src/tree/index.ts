/**
 * The tree module of LivePatch (`@velocity/livepatch-agent/tree`): ignore rules, the Merkle tree of a
 * directory, scanning and incremental updates, and the GetTree descent. The CLI (over SRC) and the agent
 * (over its root) both use it, so that their hashes agree byte for byte.
 *
 * @module
 */
export {
  answerTreeQuery,
  compareDirectory,
  descendTree,
  fromWireEntry,
  isEmptyDiff,
  toListing,
  toWireEntry,
  WIRE_ENTRY_TYPES,
} from './compare-tree.js';
export type {
  DescendTreeOptions,
  DirectoryDiff,
  EntryChange,
  EntryField,
  TreeQuery,
  TreeQueryFunction,
} from './compare-tree.js';
export {
  InvalidTreeListingError,
  InvalidTreePathError,
  TreeReadError,
  TreeRootNotFoundError,
} from './errors.js';
export type { TreeRootNotFoundErrorOptions } from './errors.js';
export { HashCache } from './hash-cache.js';
export type { FileIdentity, HashCacheOptions } from './hash-cache.js';
export {
  compareNames,
  EMPTY_DIRECTORY_HASH,
  encodeDirectory,
  hashDirectory,
  hashSymlinkTarget,
  normalizeMode,
  sortEntries,
  TREE_ENTRY_TYPE_BYTES,
  TREE_ENTRY_TYPES,
  TREE_HASH_BYTES,
} from './hash-tree.js';
export type { TreeEntry, TreeEntryType } from './hash-tree.js';
export {
  AGENT_INTERNAL_IGNORES,
  AGENT_JOURNAL_NAME,
  convertDockerignore,
  createIgnoreMatcher,
  DEFAULT_IGNORES,
  isAgentInternalPath,
  readIgnoreRules,
} from './ignore-rules.js';
export type {
  IgnoreFileRules,
  IgnoreMatcher,
  IgnoreRules,
  ReadIgnoreRulesOptions,
} from './ignore-rules.js';
export { createDirectoryNode, lookupEntry, scanTree, walkTree } from './scan-tree.js';
export type { DirectoryNode, ScanTreeOptions, TreeSnapshot, TreeWalkEntry } from './scan-tree.js';
export { isTreePath, isValidEntryName, joinTreePath, splitTreePath } from './tree-path.js';
export { updateTree } from './update-tree.js';
export type { UpdateTreeOptions } from './update-tree.js';
