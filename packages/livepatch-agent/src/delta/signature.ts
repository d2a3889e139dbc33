/**
 * Signatures: a per-block summary of a basis file (weak rolling checksum + truncated strong hash), from
 * which the other side computes a delta without having the basis.
 *
 * @module
 */
import { createHash, hash } from 'node:crypto';
import { InvalidDeltaOptionError, InvalidSignatureError } from './errors.js';
import { RollingChecksum } from './rolling-checksum.js';

/** Bytes in a basis hash (SHA-256). */
export const BASIS_HASH_LENGTH = 32;

/** Smallest block size {@link chooseBlockSize} picks: rsync's `BLOCK_SIZE`. */
export const MIN_BLOCK_SIZE = 700;

/** Largest block size, chosen or decoded: rsync's `MAX_BLOCK_SIZE` (protocol 30 and later), 128 KiB. */
export const MAX_BLOCK_SIZE = 128 * 1024;

/** Default bytes kept of each block's SHA-256 (the strong sum). */
export const DEFAULT_STRONG_LENGTH = 16;

/** Largest strong sum length: a whole SHA-256 digest. */
export const MAX_STRONG_LENGTH = 32;

/** Magic number opening an encoded signature: ASCII `LPSG`. */
export const SIGNATURE_MAGIC = 0x4c505347;

/** The only signature format version; see {@link encodeSignature}. */
export const SIGNATURE_VERSION = 1;

/** Bytes before the first block in an encoded signature. */
const HEADER_LENGTH = 4 + 1 + 1 + 4 + 8 + BASIS_HASH_LENGTH;

/** One block of the basis, as the signature describes it. */
export interface BlockSignature {
  /** {@link RollingChecksum} value of the block (unsigned 32-bit). */
  weakSum: number;
  /** First `strongLength` bytes of the block's SHA-256. */
  strongSum: Uint8Array;
}

/**
 * What the delta side knows of a basis file.
 *
 * @remarks
 * `blocks[k]` describes basis bytes `[k·blockSize, min((k+1)·blockSize, fileSize))`: every block is
 * `blockSize` bytes except possibly the last, and there are `ceil(fileSize / blockSize)` of them.
 */
export interface Signature {
  /** Block size, in bytes. */
  blockSize: number;
  /** Size of the basis, in bytes. */
  fileSize: number;
  /** SHA-256 of the whole basis (32 bytes): the basis hash a delta is sent with. */
  basisHash: Uint8Array;
  /** Bytes of each strong sum, 1–32. */
  strongLength: number;
  /** The blocks, in basis order. */
  blocks: BlockSignature[];
}

/** Options of {@link computeSignature}. */
export interface ComputeSignatureOptions {
  /** Block size in bytes, 1–{@link MAX_BLOCK_SIZE}. @defaultValue {@link chooseBlockSize}(size) */
  blockSize?: number;
  /** Strong sum length in bytes, 1–32. @defaultValue {@link DEFAULT_STRONG_LENGTH} (16) */
  strongLength?: number;
  /**
   * SHA-256 of `bytes` when the caller already has it (the tree hash), to skip one pass; trusted as is.
   * @defaultValue computed
   */
  basisHash?: Uint8Array;
}

/**
 * Picks the block size for a file: about √size, like rsync.
 *
 * @remarks
 * Per block the signature costs 4 + strongLength bytes, and each changed region costs up to about one
 * block of literal bytes; the total `size/B·c + B` is smallest near `B = √size` (Tridgell & Mackerras
 * 1996). As rsync's `sum_sizes_sqroot` does, the root is rounded down to a multiple of 8 and clamped to
 * 700 bytes (rsync's `BLOCK_SIZE`: below ~490 KB a smaller block buys little and multiplies per-block
 * overhead) and 128 KiB (rsync's `MAX_BLOCK_SIZE`, reached at 16 GiB: larger blocks turn a one-byte edit
 * into a huge literal). O(1).
 *
 * @param fileSize - Size of the basis, in bytes.
 * @returns The block size, in bytes.
 * @see {@link https://github.com/RsyncProject/rsync/blob/master/generator.c | rsync generator.c, sum_sizes_sqroot}
 */
export function chooseBlockSize(fileSize: number): number {
  if (!(fileSize > MIN_BLOCK_SIZE * MIN_BLOCK_SIZE)) return MIN_BLOCK_SIZE;
  if (fileSize >= MAX_BLOCK_SIZE * MAX_BLOCK_SIZE) return MAX_BLOCK_SIZE;
  // Exact: Math.sqrt is correctly rounded, and floor(√n) is never rounded across an integer for n < 2^52.
  const root = Math.floor(Math.sqrt(fileSize));
  return Math.max(MIN_BLOCK_SIZE, root - (root % 8));
}

/**
 * SHA-256 of a whole file: the basis hash and the content hash of the protocol.
 *
 * @param bytes - The file's content.
 * @returns The 32-byte digest.
 */
export function computeBasisHash(bytes: Uint8Array): Uint8Array {
  // A plain Uint8Array, like every hash this module returns, rather than node's Buffer subclass.
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/**
 * The SHA-256 of `bytes[start..end)`, whose first `strongLength` bytes are a block's strong sum.
 *
 * @remarks
 * SHA-256 because it is as fast as any digest node:crypto offers on CPUs with SHA extensions (measured on
 * Node 20, x86-64, 100 MiB in 10 KiB blocks: sha256 73 ms, sha1 70, blake2b512 118, md5 154, sha512-256
 * 138; without SHA extensions blake2b512 would be faster), and it is not broken like MD4/MD5/SHA-1
 * (librsync moved from MD4 to BLAKE2 for that reason). 16 of its 32 bytes make a false block match
 * (caught anyway by the whole-file hash) negligible. The one-shot `hash()` is ~30% cheaper than
 * `createHash` for block-sized inputs.
 *
 * @privateRemarks Internal: not re-exported from the package entry.
 */
export function computeStrongDigest(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return hash('sha256', bytes.subarray(start, end), 'buffer');
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidDeltaOptionError(
      `Option ${name} "${value}" is out of range. Pass an integer from ${min} to ${max}.`,
    );
  }
}

/**
 * Computes the signature of a basis.
 *
 * @remarks
 * One pass for the weak sums (O(n) in JS), one SHA-256 pass over the blocks, and one over the whole file
 * unless `basisHash` is given. The strong sums are views into one shared buffer.
 *
 * @param bytes - The basis.
 * @param options - Block size, strong sum length, known basis hash.
 * @returns The signature.
 * @throws {@link InvalidDeltaOptionError} when an option is out of range.
 * @see {@link https://rsync.samba.org/tech_report/ | The rsync algorithm, Tridgell & Mackerras 1996}
 */
export function computeSignature(
  bytes: Uint8Array,
  options: ComputeSignatureOptions = {},
): Signature {
  const steps = signatureSteps(bytes, options);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
  }
}

/**
 * {@link computeSignature} in steps: the generator yields after about every `stepBytes` of the basis and
 * returns the signature, so a caller can spread the work between other work (the CLI computes the
 * signature of a large file between sending its chunks, while it waits for the connection anyway).
 *
 * @param bytes - The basis.
 * @param options - As for {@link computeSignature}.
 * @param stepBytes - Bytes of basis per step, at least one block. @defaultValue 1 MiB
 * @returns A generator returning the signature.
 * @throws {@link InvalidDeltaOptionError} (at the first `next()`) when an option is out of range.
 */
export function* signatureSteps(
  bytes: Uint8Array,
  options: ComputeSignatureOptions = {},
  stepBytes = 1024 * 1024,
): Generator<void, Signature, void> {
  const blockSize = options.blockSize ?? chooseBlockSize(bytes.length);
  const strongLength = options.strongLength ?? DEFAULT_STRONG_LENGTH;
  checkInteger('blockSize', blockSize, 1, MAX_BLOCK_SIZE);
  checkInteger('strongLength', strongLength, 1, MAX_STRONG_LENGTH);
  if (options.basisHash !== undefined && options.basisHash.length !== BASIS_HASH_LENGTH) {
    throw new InvalidDeltaOptionError(
      `Option basisHash has "${options.basisHash.length}" bytes. Pass a SHA-256 digest (32 bytes).`,
    );
  }
  const count = Math.ceil(bytes.length / blockSize);
  const blocksPerStep = Math.max(1, Math.floor(stepBytes / blockSize));
  const strong = new Uint8Array(count * strongLength);
  const blocks: BlockSignature[] = new Array<BlockSignature>(count);
  for (let k = 0; k < count; k += 1) {
    if (k > 0 && k % blocksPerStep === 0) yield;
    const start = k * blockSize;
    const end = Math.min(bytes.length, start + blockSize);
    const at = k * strongLength;
    strong.set(computeStrongDigest(bytes, start, end).subarray(0, strongLength), at);
    blocks[k] = {
      weakSum: new RollingChecksum(bytes, start, end).value,
      strongSum: strong.subarray(at, at + strongLength),
    };
  }
  return {
    blockSize,
    fileSize: bytes.length,
    basisHash: options.basisHash ?? computeBasisHash(bytes),
    strongLength,
    blocks,
  };
}

/**
 * Checks that a signature is self-consistent, as {@link decodeSignature} guarantees for decoded ones.
 *
 * @param signature - A signature, possibly built by hand.
 * @throws {@link InvalidSignatureError} when a field is out of range or the blocks do not match it.
 */
export function validateSignature(signature: Signature): void {
  const { blockSize, fileSize, basisHash, strongLength, blocks } = signature;
  checkBounds(blockSize, strongLength, fileSize, basisHash.length);
  const count = blockCount(fileSize, blockSize);
  if (blocks.length !== count) {
    throw new InvalidSignatureError(
      `Signature has "${blocks.length}" blocks where its sizes call for ${count}. Recompute the signature.`,
    );
  }
  for (const block of blocks) {
    if (block.strongSum.length !== strongLength || block.weakSum >>> 0 !== block.weakSum) {
      throw new InvalidSignatureError(
        `Signature block with weak sum "${block.weakSum}" is malformed. Recompute the signature.`,
      );
    }
  }
}

function checkBounds(
  blockSize: number,
  strongLength: number,
  fileSize: number,
  basisHashLength: number,
): void {
  if (!Number.isSafeInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
    throw new InvalidSignatureError(
      `Signature block size "${blockSize}" is out of range. Expected 1 to ${MAX_BLOCK_SIZE}; recompute the signature.`,
    );
  }
  if (!Number.isSafeInteger(strongLength) || strongLength < 1 || strongLength > MAX_STRONG_LENGTH) {
    throw new InvalidSignatureError(
      `Signature strong sum length "${strongLength}" is out of range. Expected 1 to ${MAX_STRONG_LENGTH}; recompute the signature.`,
    );
  }
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) {
    throw new InvalidSignatureError(
      `Signature file size "${fileSize}" is invalid. Recompute the signature.`,
    );
  }
  if (basisHashLength !== BASIS_HASH_LENGTH) {
    throw new InvalidSignatureError(
      `Signature basis hash has "${basisHashLength}" bytes, not 32. Recompute the signature.`,
    );
  }
}

function blockCount(fileSize: number, blockSize: number): number {
  const count = Math.floor(fileSize / blockSize);
  return count * blockSize < fileSize ? count + 1 : count;
}

/**
 * Encodes a signature for the wire (`FileSignature.signature`).
 *
 * @remarks
 * Layout, all integers big-endian (like librsync's signature format):
 *
 * | offset | bytes | field |
 * |---|---|---|
 * | 0 | 4 | magic `0x4C505347` (ASCII `LPSG`) |
 * | 4 | 1 | version, 1 = rsync weak sum without char offset + truncated SHA-256 |
 * | 5 | 1 | `strongLength` (1–32) |
 * | 6 | 4 | `blockSize` (1–131072) |
 * | 10 | 8 | `fileSize` (≤ 2^53 − 1) |
 * | 18 | 32 | `basisHash` (SHA-256 of the basis) |
 * | 50 | … | `ceil(fileSize / blockSize)` blocks: `weakSum` (4), then `strongSum` (`strongLength`) |
 *
 * The block count is implied, so the total length is exactly `50 + blocks·(4 + strongLength)`. O(blocks).
 *
 * @param signature - The signature.
 * @returns The encoded bytes.
 * @throws {@link InvalidSignatureError} when the signature is not self-consistent.
 * @see {@link https://github.com/librsync/librsync/blob/master/doc/format.md | librsync doc/format.md}
 */
export function encodeSignature(signature: Signature): Uint8Array {
  validateSignature(signature);
  const { blockSize, fileSize, basisHash, strongLength, blocks } = signature;
  const out = new Uint8Array(HEADER_LENGTH + blocks.length * (4 + strongLength));
  const view = new DataView(out.buffer);
  view.setUint32(0, SIGNATURE_MAGIC);
  view.setUint8(4, SIGNATURE_VERSION);
  view.setUint8(5, strongLength);
  view.setUint32(6, blockSize);
  view.setUint32(10, Math.floor(fileSize / 2 ** 32));
  view.setUint32(14, fileSize >>> 0);
  out.set(basisHash, 18);
  let at = HEADER_LENGTH;
  for (const block of blocks) {
    view.setUint32(at, block.weakSum);
    out.set(block.strongSum, at + 4);
    at += 4 + strongLength;
  }
  return out;
}

/**
 * Decodes and validates a signature received from a peer, which may be hostile.
 *
 * @remarks
 * Checks the magic, version, every bound, and that the length is exactly what the header implies, before
 * allocating anything proportional to the claimed sizes. The result does not alias `bytes`. O(blocks).
 *
 * @param bytes - An encoded signature (see {@link encodeSignature} for the layout).
 * @returns The signature.
 * @throws {@link InvalidSignatureError} when the bytes are not a valid signature.
 */
export function decodeSignature(bytes: Uint8Array): Signature {
  if (bytes.length < HEADER_LENGTH) {
    throw new InvalidSignatureError(
      `Signature is "${bytes.length}" bytes, shorter than its ${HEADER_LENGTH}-byte header. Request the signature again.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== SIGNATURE_MAGIC) {
    throw new InvalidSignatureError(
      `Signature magic "0x${magic.toString(16)}" is not "0x${SIGNATURE_MAGIC.toString(16)}". Request the signature again.`,
    );
  }
  const version = view.getUint8(4);
  if (version !== SIGNATURE_VERSION) {
    throw new InvalidSignatureError(
      `Signature version "${version}" is not supported. Upgrade both sides to the same LivePatch release.`,
    );
  }
  const strongLength = view.getUint8(5);
  const blockSize = view.getUint32(6);
  const high = view.getUint32(10);
  if (high > 0x1fffff) {
    throw new InvalidSignatureError(
      `Signature file size "${BigInt(high) * 2n ** 32n + BigInt(view.getUint32(14))}" exceeds 2^53 - 1. Request the signature again.`,
    );
  }
  const fileSize = high * 2 ** 32 + view.getUint32(14);
  // Copied: `bytes` is often a Buffer, whose slice() is a view.
  const basisHash = new Uint8Array(bytes.subarray(18, HEADER_LENGTH));
  // Bounds first, so a hostile count never reaches an allocation.
  checkBounds(blockSize, strongLength, fileSize, basisHash.length);
  const count = blockCount(fileSize, blockSize);
  const expected = HEADER_LENGTH + count * (4 + strongLength);
  if (bytes.length !== expected) {
    throw new InvalidSignatureError(
      `Signature is "${bytes.length}" bytes where its header calls for ${expected}. Request the signature again.`,
    );
  }
  const strong = new Uint8Array(count * strongLength);
  const blocks: BlockSignature[] = new Array<BlockSignature>(count);
  for (let k = 0, at = HEADER_LENGTH; k < count; k += 1, at += 4 + strongLength) {
    const start = k * strongLength;
    strong.set(bytes.subarray(at + 4, at + 4 + strongLength), start);
    blocks[k] = {
      weakSum: view.getUint32(at),
      strongSum: strong.subarray(start, start + strongLength),
    };
  }
  return { blockSize, fileSize, basisHash, strongLength, blocks };
}
