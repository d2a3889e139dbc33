/**
 * The delta module of LivePatch, shared by the CLI (signatures, deltas, the choice of encoding) and the
 * agent (signatures, decoding, patching): rsync-algorithm deltas from a cached signature, text deltas,
 * appends.
 *
 * @see {@link https://rsync.samba.org/tech_report/ | The rsync algorithm, Tridgell & Mackerras 1996}
 * @see {@link https://github.com/librsync/librsync/blob/master/doc/format.md | librsync doc/format.md}
 * @module
 */
export {
  DEFAULT_MAX_TEXT_SIZE,
  DEFAULT_MIN_DELTA_SIZE,
  chooseEncoding,
} from './choose-encoding.js';
export type {
  ChooseEncodingOptions,
  ChooseEncodingResult,
  EncodingMethod,
  EncodingSizes,
} from './choose-encoding.js';
export {
  DEFAULT_MAX_OUTPUT_SIZE,
  DELTA_MAGIC,
  DELTA_VERSION,
  computeDelta,
  decodeDelta,
  encodeDelta,
  isAppend,
} from './delta.js';
export type { DecodeDeltaOptions, DeltaOp, PayloadEncoding } from './delta.js';
export {
  DeltaCopyOutOfRangeError,
  DeltaTooLargeError,
  InvalidDeltaError,
  InvalidDeltaOptionError,
  InvalidSignatureError,
} from './errors.js';
export { applyDelta } from './patch.js';
export type { ApplyDeltaOptions } from './patch.js';
export { RollingChecksum } from './rolling-checksum.js';
export {
  BASIS_HASH_LENGTH,
  DEFAULT_STRONG_LENGTH,
  MAX_BLOCK_SIZE,
  MAX_STRONG_LENGTH,
  MIN_BLOCK_SIZE,
  SIGNATURE_MAGIC,
  SIGNATURE_VERSION,
  chooseBlockSize,
  computeBasisHash,
  computeSignature,
  signatureSteps,
  decodeSignature,
  encodeSignature,
  validateSignature,
} from './signature.js';
export type { BlockSignature, ComputeSignatureOptions, Signature } from './signature.js';
export { DEFAULT_TEXT_DIFF_BUDGET, computeTextDelta } from './text-delta.js';
export type { TextDeltaOptions } from './text-delta.js';
