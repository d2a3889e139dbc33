/**
 * Deltas: how to rebuild a target from a basis with copies of basis bytes and literal bytes, computed with
 * the rsync algorithm from the basis' signature alone, and their binary encoding.
 *
 * @module
 */
import { DeltaCopyOutOfRangeError, DeltaTooLargeError, InvalidDeltaError } from './errors.js';
import { RollingChecksum } from './rolling-checksum.js';
import {
  BASIS_HASH_LENGTH,
  computeBasisHash,
  computeStrongDigest,
  validateSignature,
  type Signature,
} from './signature.js';
import { VarintReader, varintLength, writeVarint } from './varint.js';

/**
 * One step of a delta.
 *
 * @remarks
 * `copy` appends basis bytes `[offset, offset + length)`: any byte range, so both block-aligned rsync
 * copies and arbitrary text-diff copies fit. `literal` appends `data`. A delta is a list of them, applied
 * in order (librsync's COPY and LITERAL commands).
 */
export type DeltaOp =
  { op: 'copy'; offset: number; length: number } | { op: 'literal'; data: Uint8Array };

/** How a file's new content travels (the proto's `ContentEncoding` WHOLE, DELTA, APPEND). */
export type PayloadEncoding = 'whole' | 'delta' | 'append';

/** Magic number opening an encoded delta: ASCII `LPDL`. */
export const DELTA_MAGIC = 0x4c50444c;

/** The only delta format version; see {@link encodeDelta}. */
export const DELTA_VERSION = 1;

/** Default limit on the size of a decoded or applied delta's output: 1 GiB. */
export const DEFAULT_MAX_OUTPUT_SIZE = 1024 * 1024 * 1024;

/** Largest op length the format can carry (the header is `length·4 + kind` ≤ 2^53 − 1). */
const MAX_OP_LENGTH = Math.floor(Number.MAX_SAFE_INTEGER / 4);

const OP_LITERAL = 0;
const OP_COPY_FORWARD = 1;
const OP_COPY_BACKWARD = 2;

/** Builds a delta from matches found in target order, merging copies contiguous in the basis. */
export class DeltaWriter {
  /** Offset of the first target byte not yet covered by an op. */
  literalStart = 0;
  readonly #target: Uint8Array;
  readonly #ops: DeltaOp[] = [];
  #lastCopy: { op: 'copy'; offset: number; length: number } | undefined;

  constructor(target: Uint8Array) {
    this.#target = target;
  }

  /** Target bytes `[targetOffset, +length)` equal basis bytes `[basisOffset, +length)`. */
  copy(targetOffset: number, basisOffset: number, length: number): void {
    if (targetOffset > this.literalStart) {
      this.#ops.push({
        op: 'literal',
        data: this.#target.subarray(this.literalStart, targetOffset),
      });
      this.#lastCopy = undefined;
    }
    const last = this.#lastCopy;
    if (last !== undefined && last.offset + last.length === basisOffset) {
      last.length += length;
    } else {
      this.#lastCopy = { op: 'copy', offset: basisOffset, length };
      this.#ops.push(this.#lastCopy);
    }
    this.literalStart = targetOffset + length;
  }

  /** The ops, with the rest of the target as a final literal. */
  finish(): DeltaOp[] {
    if (this.literalStart < this.#target.length) {
      this.#ops.push({ op: 'literal', data: this.#target.subarray(this.literalStart) });
    }
    return this.#ops;
  }
}

/** Lookup structures over a signature's blocks, built once per signature object. */
interface SignatureIndex {
  /** `strongLength` bytes per block, contiguous. */
  strong: Uint8Array;
  strongLength: number;
  /** Weak sum per block. */
  weak: Uint32Array;
  /** Length of the last block (`blockSize` when the basis is a whole number of blocks). */
  lastLength: number;
  /** Blocks of `blockSize` bytes, the ones the rolling search can find. */
  fullCount: number;
  /** Bitset over weak-sum tags: the prefilter. */
  tags: Uint32Array;
  /** First block per tag, -1 for none; `next` chains blocks sharing a tag, lowest index first. */
  heads: Int32Array;
  next: Int32Array;
  /** `32 − tag bits`. */
  shift: number;
}

const indexes = new WeakMap<Signature, SignatureIndex>();

/** Fibonacci hashing spreads weak sums (whose high half is weak on short, low-entropy blocks) over tags. */
const GOLDEN = 0x9e3779b1;

function indexSignature(signature: Signature): SignatureIndex {
  const cached = indexes.get(signature);
  if (cached !== undefined) return cached;
  validateSignature(signature);
  const { blockSize, fileSize, strongLength, blocks } = signature;
  const count = blocks.length;
  const lastLength = count === 0 ? 0 : fileSize - (count - 1) * blockSize;
  const fullCount = lastLength === blockSize ? count : count - 1;
  // ~8 tags per block keeps prefilter false positives near 1/8, within 16-22 bits (8 KiB-512 KiB bitset).
  const bits = Math.min(22, Math.max(16, Math.ceil(Math.log2(fullCount + 1)) + 3));
  const index: SignatureIndex = {
    strong: new Uint8Array(count * strongLength),
    strongLength,
    weak: new Uint32Array(count),
    lastLength,
    fullCount,
    tags: new Uint32Array(2 ** (bits - 5)),
    heads: new Int32Array(2 ** bits).fill(-1),
    next: new Int32Array(count).fill(-1),
    shift: 32 - bits,
  };
  for (let k = 0; k < count; k += 1) {
    const block = blocks[k]!;
    index.weak[k] = block.weakSum;
    index.strong.set(block.strongSum, k * strongLength);
  }
  for (let k = fullCount - 1; k >= 0; k -= 1) {
    const tag = Math.imul(index.weak[k]!, GOLDEN) >>> index.shift;
    index.tags[tag >>> 5]! |= 1 << (tag & 31);
    index.next[k] = index.heads[tag]!;
    index.heads[tag] = k;
  }
  indexes.set(signature, index);
  return index;
}

function strongMatches(index: SignatureIndex, block: number, digest: Uint8Array): boolean {
  const { strong, strongLength } = index;
  const at = block * strongLength;
  for (let i = 0; i < strongLength; i += 1) {
    if (strong[at + i] !== digest[i]) return false;
  }
  return true;
}

/** The block whose weak and strong sums match `target[pos..pos+blockSize)`, or -1. */
function findBlock(
  index: SignatureIndex,
  tag: number,
  weak: number,
  target: Uint8Array,
  pos: number,
  blockSize: number,
): number {
  let digest: Uint8Array | undefined;
  for (let k = index.heads[tag]!; k >= 0; k = index.next[k]!) {
    if (index.weak[k] !== weak) continue;
    digest ??= computeStrongDigest(target, pos, pos + blockSize);
    if (strongMatches(index, k, digest)) return k;
  }
  return -1;
}

/**
 * Computes a delta that rebuilds `target` from the basis described by `signature`.
 *
 * @remarks
 * The rsync algorithm (Tridgell & Mackerras 1996) with a prefilter for the common case. After a match of
 * block k, block k+1 is tried first at the next position with its strong sum alone (native SHA-256, no
 * JS loop), so unchanged runs cost one hash pass. Only after a miss does the search roll the weak checksum
 * byte by byte; each position is tested against a bitset of weak-sum tags, then a tag-chained table of
 * weak sums, and only weak hits compute a strong sum. Insertions and deletions at any offset are found by
 * rolling; the short last block is tried where it can be (after block k−1, or at the end of the target).
 * Copies contiguous in the basis are merged, so an unchanged file is one copy.
 *
 * Cost: O(n) hashing plus O(bytes rolled over) for the non-matching regions; memory O(blocks).
 * Literal ops are views into `target`, not copies.
 *
 * @param signature - Signature of the basis; treated as immutable (its lookup index is cached).
 * @param target - The new content.
 * @returns The ops, in target order.
 * @throws {@link InvalidSignatureError} when the signature is not self-consistent.
 * @see {@link https://rsync.samba.org/tech_report/ | The rsync algorithm, Tridgell & Mackerras 1996}
 * @see {@link https://github.com/librsync/librsync/blob/master/doc/format.md | librsync doc/format.md}
 */
export function computeDelta(signature: Signature, target: Uint8Array): DeltaOp[] {
  const index = indexSignature(signature);
  const { blockSize } = signature;
  const { tags, shift, fullCount, lastLength } = index;
  const count = signature.blocks.length;
  const size = target.length;
  const writer = new DeltaWriter(target);
  let pos = 0;
  let expected = 0;
  scan: while (pos < size) {
    if (expected < count) {
      const length = expected === count - 1 ? lastLength : blockSize;
      if (
        pos + length <= size &&
        strongMatches(index, expected, computeStrongDigest(target, pos, pos + length))
      ) {
        writer.copy(pos, expected * blockSize, length);
        pos += length;
        expected += 1;
        continue;
      }
    }
    expected = count;
    if (fullCount === 0 || size - pos < blockSize) break;
    // RollingChecksum.roll inlined: on Node 20 the method call on private fields made this loop ~1.5x slower.
    const initial = new RollingChecksum(target, pos, pos + blockSize).value;
    let a = initial & 0xffff;
    let b = initial >>> 16;
    for (;;) {
      const weak = (a | (b << 16)) >>> 0;
      const tag = Math.imul(weak, GOLDEN) >>> shift;
      if ((tags[tag >>> 5]! & (1 << (tag & 31))) !== 0) {
        const block = findBlock(index, tag, weak, target, pos, blockSize);
        if (block >= 0) {
          writer.copy(pos, block * blockSize, blockSize);
          pos += blockSize;
          expected = block + 1;
          continue scan;
        }
      }
      if (pos + blockSize >= size) break scan;
      const out = target[pos]!;
      a = (a - out + target[pos + blockSize]!) & 0xffff;
      b = (b - blockSize * out + a) & 0xffff;
      pos += 1;
    }
  }
  // A short last block is invisible to the full-size rolling window; rsync matches it only at the end.
  if (count > 0 && lastLength < blockSize) {
    const start = size - lastLength;
    if (
      start >= writer.literalStart &&
      strongMatches(index, count - 1, computeStrongDigest(target, start, size))
    ) {
      writer.copy(start, (count - 1) * blockSize, lastLength);
    }
  }
  return writer.finish();
}

function opLength(op: DeltaOp): number {
  return op.op === 'copy' ? op.length : op.data.length;
}

function checkOp(op: DeltaOp): void {
  const length = opLength(op);
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_OP_LENGTH) {
    throw new InvalidDeltaError(`Delta op length "${length}" is invalid. Recompute the delta.`);
  }
  if (op.op === 'copy' && !(Number.isSafeInteger(op.offset) && op.offset >= 0)) {
    throw new InvalidDeltaError(
      `Delta copy offset "${op.offset}" is invalid. Recompute the delta.`,
    );
  }
  if (op.op === 'copy' && op.offset + op.length > Number.MAX_SAFE_INTEGER) {
    throw new InvalidDeltaError(
      `Delta copy end "${op.offset + op.length}" exceeds 2^53 - 1. Recompute the delta.`,
    );
  }
}

/**
 * Encodes a delta for the wire (the payload of a DELTA write).
 *
 * @remarks
 * Layout: magic `0x4C50444C` (ASCII `LPDL`, 4 bytes, big-endian), version (1 byte, 1), then varints
 * (unsigned LEB128, least significant 7-bit group first, at most 8 bytes, ≤ 2^53 − 1):
 *
 * - `targetSize`: bytes the delta produces;
 * - per op, a header `length·4 + kind`, then
 *   - kind 0 (literal): `length` raw bytes;
 *   - kind 1 (copy forward): `d`, the copy starts at `end + d`;
 *   - kind 2 (copy backward): `d`, the copy starts at `end − d`;
 *
 *   where `end` is where the previous copy ended in the basis (0 before the first), so the copies of
 *   an edited file cost a few bytes each. Kind 3 is reserved.
 *
 * Ops run to the end of the payload; zero-length ops are dropped. O(ops + literal bytes).
 *
 * @param ops - The delta.
 * @returns The encoded bytes.
 * @throws {@link InvalidDeltaError} when an op has a negative, fractional or oversized offset or length.
 * @see {@link https://protobuf.dev/programming-guides/encoding/#varints | protobuf varints}
 */
export function encodeDelta(ops: readonly DeltaOp[]): Uint8Array {
  let targetSize = 0;
  let bytes = 0;
  let end = 0;
  for (const op of ops) {
    checkOp(op);
    const length = opLength(op);
    if (length === 0) continue;
    targetSize += length;
    bytes += varintLength(length * 4);
    if (op.op === 'copy') {
      bytes += varintLength(Math.abs(op.offset - end));
      end = op.offset + length;
    } else {
      bytes += length;
    }
  }
  const out = new Uint8Array(5 + varintLength(targetSize) + bytes);
  new DataView(out.buffer).setUint32(0, DELTA_MAGIC);
  out[4] = DELTA_VERSION;
  let at = writeVarint(out, 5, targetSize);
  end = 0;
  for (const op of ops) {
    const length = opLength(op);
    if (length === 0) continue;
    if (op.op === 'copy') {
      const forward = op.offset >= end;
      at = writeVarint(out, at, length * 4 + (forward ? OP_COPY_FORWARD : OP_COPY_BACKWARD));
      at = writeVarint(out, at, forward ? op.offset - end : end - op.offset);
      end = op.offset + length;
    } else {
      at = writeVarint(out, at, length * 4 + OP_LITERAL);
      out.set(op.data, at);
      at += length;
    }
  }
  return out;
}

/** Options of {@link decodeDelta}. */
export interface DecodeDeltaOptions {
  /** Largest output the delta may declare, in bytes. @defaultValue {@link DEFAULT_MAX_OUTPUT_SIZE} (1 GiB) */
  maxSize?: number;
  /** Size of the basis in bytes, to reject copies outside it while decoding. @defaultValue unchecked */
  basisSize?: number;
}

/**
 * Decodes and validates a delta received from a peer, which may be hostile.
 *
 * @remarks
 * Checks the magic and version, every varint (truncation, overflow), that no op is empty or runs past the
 * payload, that the ops produce exactly the declared size, that this size is within `maxSize` (checked
 * before any op is read), and, given `basisSize`, that copies stay inside the basis. O(payload) time; the
 * literal ops are views into `payload`, not copies.
 *
 * @param payload - An encoded delta (see {@link encodeDelta} for the layout).
 * @param options - Output size limit and basis size.
 * @returns The ops.
 * @throws {@link InvalidDeltaError} when the payload is not a valid delta.
 * @throws {@link DeltaTooLargeError} when the declared output exceeds `maxSize`.
 * @throws {@link DeltaCopyOutOfRangeError} when `basisSize` is given and a copy reads past it.
 */
export function decodeDelta(payload: Uint8Array, options: DecodeDeltaOptions = {}): DeltaOp[] {
  const maxSize = options.maxSize ?? DEFAULT_MAX_OUTPUT_SIZE;
  if (payload.length < 5) {
    throw new InvalidDeltaError(
      `Delta is "${payload.length}" bytes, shorter than its 5-byte header. Send the file whole.`,
    );
  }
  const magic = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
  if (magic !== DELTA_MAGIC) {
    throw new InvalidDeltaError(
      `Delta magic "0x${magic.toString(16)}" is not "0x${DELTA_MAGIC.toString(16)}". Send the file whole.`,
    );
  }
  if (payload[4] !== DELTA_VERSION) {
    throw new InvalidDeltaError(
      `Delta version "${payload[4]}" is not supported. Upgrade both sides to the same LivePatch release.`,
    );
  }
  const reader = new VarintReader(payload, 5);
  const targetSize = reader.read('target size');
  if (targetSize > maxSize) throw new DeltaTooLargeError(targetSize, maxSize);
  const ops: DeltaOp[] = [];
  let produced = 0;
  let end = 0;
  while (reader.position < payload.length) {
    const header = reader.read('op header');
    const kind = header % 4;
    const length = (header - kind) / 4;
    if (length === 0 || produced + length > targetSize) {
      throw new InvalidDeltaError(
        `Delta op of "${length}" bytes at output byte ${produced} does not fit the declared ${targetSize} bytes. Send the file whole.`,
      );
    }
    if (kind === OP_LITERAL) {
      const start = reader.position;
      if (start + length > payload.length) {
        throw new InvalidDeltaError(
          `Delta literal of "${length}" bytes at byte ${start} runs past the end of the payload. Send the file whole.`,
        );
      }
      ops.push({ op: 'literal', data: payload.subarray(start, start + length) });
      reader.position = start + length;
    } else if (kind === OP_COPY_FORWARD || kind === OP_COPY_BACKWARD) {
      const distance = reader.read('copy offset');
      const offset = kind === OP_COPY_FORWARD ? end + distance : end - distance;
      if (offset < 0 || offset + length > Number.MAX_SAFE_INTEGER) {
        throw new InvalidDeltaError(
          `Delta copy offset "${offset}" is out of range. Send the file whole.`,
        );
      }
      if (options.basisSize !== undefined && offset + length > options.basisSize) {
        throw new DeltaCopyOutOfRangeError(offset, length, options.basisSize);
      }
      ops.push({ op: 'copy', offset, length });
      end = offset + length;
    } else {
      throw new InvalidDeltaError(
        `Delta op kind "${kind}" at byte ${reader.position} is unknown. Upgrade both sides to the same LivePatch release.`,
      );
    }
    produced += length;
  }
  if (produced !== targetSize) {
    throw new InvalidDeltaError(
      `Delta produces "${produced}" bytes but declares ${targetSize}. Send the file whole.`,
    );
  }
  return ops;
}

/**
 * Whether `target` starts with the basis, so that only `target.subarray(basisSize)` needs sending.
 *
 * @remarks One SHA-256 pass over the first `basisSize` bytes of `target`.
 *
 * @param basisHash - SHA-256 of the basis (the signature's `basisHash`).
 * @param basisSize - Size of the basis, in bytes.
 * @param target - The new content.
 * @returns True when `target` is the basis followed by zero or more bytes.
 */
export function isAppend(basisHash: Uint8Array, basisSize: number, target: Uint8Array): boolean {
  if (basisHash.length !== BASIS_HASH_LENGTH) return false;
  if (!Number.isSafeInteger(basisSize) || basisSize < 0 || basisSize > target.length) return false;
  return equalBytes(computeBasisHash(target.subarray(0, basisSize)), basisHash);
}

/** Byte-wise equality. @privateRemarks Internal; not re-exported. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
