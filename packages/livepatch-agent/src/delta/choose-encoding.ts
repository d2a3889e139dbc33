/**
 * The sender's choice of how to carry a file's new content: whole, an rsync delta, a text delta, or the
 * appended tail, whichever is smallest.
 *
 * @module
 */
import { computeDelta, encodeDelta, equalBytes, isAppend } from './delta.js';
import { InvalidDeltaOptionError } from './errors.js';
import { computeBasisHash, computeStrongDigest, type Signature } from './signature.js';
import { computeTextDelta } from './text-delta.js';

/**
 * Default size under which files go whole: 1 KiB.
 *
 * @remarks
 * Below it the most a delta can save is under 1 KiB, about the cost of the write operation's own message
 * and not worth hashing for; at 1–4 KiB a one-line edit still saves most of the file (one 700-byte block
 * with an rsync delta, nearly all of it with a text delta), so the threshold is lower than 4 KiB.
 */
export const DEFAULT_MIN_DELTA_SIZE = 1024;

/** Default largest basis and target, in bytes, for which a text delta is tried: 1 MiB. */
export const DEFAULT_MAX_TEXT_SIZE = 1024 * 1024;

/** How a candidate payload was computed. */
export type EncodingMethod = 'whole' | 'rsync' | 'text' | 'append';

/** Payload size in bytes of each candidate that was computed, for logs. */
export type EncodingSizes = { [method in EncodingMethod]?: number };

/** Options of {@link chooseEncoding}. */
export interface ChooseEncodingOptions {
  /** The cached signature of the receiver's file; without it the file goes whole. */
  signature?: Signature;
  /**
   * The cached content of the receiver's file, when the sender keeps it (small text files): enables the
   * text delta. Ignored unless it hashes to `signature.basisHash`.
   */
  basis?: Uint8Array;
  /** Files smaller than this many bytes go whole. @defaultValue {@link DEFAULT_MIN_DELTA_SIZE} (1 KiB) */
  minDeltaSize?: number;
  /** Largest basis and target, in bytes, to text-diff. @defaultValue {@link DEFAULT_MAX_TEXT_SIZE} (1 MiB) */
  maxTextSize?: number;
  /** Diff work budget of the text delta. @defaultValue {@link DEFAULT_TEXT_DIFF_BUDGET} */
  textDiffBudget?: number;
}

/** The chosen encoding and its payload (uncompressed); `encoding` is a `PayloadEncoding`. */
export type ChooseEncodingResult =
  | {
      encoding: 'whole';
      method: 'whole';
      /** The new content itself (not a copy). */
      payload: Uint8Array;
      sizes: EncodingSizes;
    }
  | {
      encoding: 'append';
      method: 'append';
      /** The appended bytes (a view into the new content). */
      payload: Uint8Array;
      /** SHA-256 of the basis the payload applies to (`WriteFile.basis_hash`). */
      basisHash: Uint8Array;
      sizes: EncodingSizes;
    }
  | {
      encoding: 'delta';
      method: 'rsync' | 'text';
      /** An encoded delta ({@link encodeDelta}). */
      payload: Uint8Array;
      /** SHA-256 of the basis the payload applies to (`WriteFile.basis_hash`). */
      basisHash: Uint8Array;
      sizes: EncodingSizes;
    };

/** False when the basis' last block is not where an append would keep it: skips hashing the prefix. */
function mayBeAppend(signature: Signature, target: Uint8Array): boolean {
  const last = signature.blocks.at(-1);
  // No block for a non-empty basis: an invalid signature, which computeDelta reports.
  if (last === undefined) return false;
  const start = (signature.blocks.length - 1) * signature.blockSize;
  const digest = computeStrongDigest(target, start, signature.fileSize);
  return equalBytes(digest.subarray(0, signature.strongLength), last.strongSum);
}

/**
 * Chooses the smallest encoding of `target` given what the sender knows of the receiver's file.
 *
 * @remarks
 * Whole when there is no signature, the basis is empty, or `target` is under `minDeltaSize`. Append
 * whenever `target` is longer than the basis and starts with it (checked on the basis' last block from the
 * signature first, then with one hash of the prefix): a delta would have to carry the same
 * tail, so it is taken without computing the others. Otherwise the rsync delta (from the signature), and
 * the text delta when `basis` is given, valid UTF-8 and at most `maxTextSize`, are encoded and the
 * smallest payload wins; whole wins ties. Cost: O(n) hashing, plus the rolling search over changed
 * regions and the bounded text diff.
 *
 * @param target - The new content.
 * @param options - The cached signature (and basis), thresholds.
 * @returns The encoding, its payload, the basis hash, and the candidates' sizes.
 * @throws {@link InvalidSignatureError} when the signature is not self-consistent.
 * @throws {@link InvalidDeltaOptionError} when a threshold is negative.
 */
export function chooseEncoding(
  target: Uint8Array,
  options: ChooseEncodingOptions = {},
): ChooseEncodingResult {
  const minDeltaSize = options.minDeltaSize ?? DEFAULT_MIN_DELTA_SIZE;
  const maxTextSize = options.maxTextSize ?? DEFAULT_MAX_TEXT_SIZE;
  if (!(minDeltaSize >= 0) || !(maxTextSize >= 0)) {
    throw new InvalidDeltaOptionError(
      `Options minDeltaSize "${minDeltaSize}" and maxTextSize "${maxTextSize}" must be 0 or more. Pass byte counts.`,
    );
  }
  const sizes: EncodingSizes = { whole: target.length };
  const whole: ChooseEncodingResult = {
    encoding: 'whole',
    method: 'whole',
    payload: target,
    sizes,
  };
  const { signature } = options;
  if (signature === undefined || signature.fileSize === 0 || target.length < minDeltaSize) {
    return whole;
  }
  const { basisHash } = signature;
  if (
    target.length > signature.fileSize &&
    mayBeAppend(signature, target) &&
    isAppend(basisHash, signature.fileSize, target)
  ) {
    const payload = target.subarray(signature.fileSize);
    sizes.append = payload.length;
    return { encoding: 'append', method: 'append', payload, basisHash, sizes };
  }
  let best: ChooseEncodingResult = whole;
  const rsync = encodeDelta(computeDelta(signature, target));
  sizes.rsync = rsync.length;
  if (rsync.length < best.payload.length) {
    best = { encoding: 'delta', method: 'rsync', payload: rsync, basisHash, sizes };
  }
  const { basis } = options;
  if (
    basis !== undefined &&
    basis.length === signature.fileSize &&
    basis.length <= maxTextSize &&
    target.length <= maxTextSize &&
    equalBytes(computeBasisHash(basis), basisHash)
  ) {
    const ops = computeTextDelta(
      basis,
      target,
      options.textDiffBudget === undefined ? {} : { diffBudget: options.textDiffBudget },
    );
    if (ops !== undefined) {
      const text = encodeDelta(ops);
      sizes.text = text.length;
      if (text.length < best.payload.length) {
        best = { encoding: 'delta', method: 'text', payload: text, basisHash, sizes };
      }
    }
  }
  return best;
}
