/**
 * Patching: rebuilding a file from its basis and a delta, on input that may be hostile.
 *
 * @module
 */
import {
  DeltaCopyOutOfRangeError,
  DeltaTooLargeError,
  InvalidDeltaError,
  InvalidDeltaOptionError,
} from './errors.js';
import { DEFAULT_MAX_OUTPUT_SIZE, type DeltaOp } from './delta.js';

/** Options of {@link applyDelta}. */
export interface ApplyDeltaOptions {
  /** Largest output allowed, in bytes. @defaultValue {@link DEFAULT_MAX_OUTPUT_SIZE} (1 GiB) */
  maxSize?: number;
}

function resolveMaxSize(maxSize: number | undefined): number {
  const value = maxSize ?? DEFAULT_MAX_OUTPUT_SIZE;
  if (!(value >= 0)) {
    throw new InvalidDeltaOptionError(
      `Option maxSize "${value}" is invalid. Pass a number of bytes, 0 or more.`,
    );
  }
  return value;
}

/**
 * Applies a delta to a basis.
 *
 * @remarks
 * Validates every op and sums the output size before allocating it, so a hostile delta can neither read
 * outside the basis nor make this allocate more than `maxSize`. O(ops + output bytes).
 *
 * @param basis - The basis the delta was computed against.
 * @param ops - The delta, e.g. from {@link decodeDelta}.
 * @param options - Output size limit.
 * @returns The rebuilt content, a new buffer.
 * @throws {@link DeltaCopyOutOfRangeError} when a copy reads outside the basis.
 * @throws {@link DeltaTooLargeError} when the output would exceed `maxSize`.
 * @throws {@link InvalidDeltaError} when a copy's offset or length is negative, fractional or unsafe.
 */
export function applyDelta(
  basis: Uint8Array,
  ops: readonly DeltaOp[],
  options: ApplyDeltaOptions = {},
): Uint8Array {
  const maxSize = resolveMaxSize(options.maxSize);
  let size = 0;
  for (const op of ops) {
    if (op.op === 'copy') {
      const { offset, length } = op;
      if (
        !Number.isSafeInteger(offset) ||
        !Number.isSafeInteger(length) ||
        offset < 0 ||
        length < 0
      ) {
        throw new InvalidDeltaError(
          `Delta copy of "${length}" bytes at offset "${offset}" is invalid. Recompute the delta.`,
        );
      }
      if (offset + length > basis.length) {
        throw new DeltaCopyOutOfRangeError(offset, length, basis.length);
      }
      size += length;
    } else {
      size += op.data.length;
    }
    if (size > maxSize) throw new DeltaTooLargeError(size, maxSize);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const op of ops) {
    if (op.op === 'copy') {
      out.set(basis.subarray(op.offset, op.offset + op.length), at);
      at += op.length;
    } else {
      out.set(op.data, at);
      at += op.data.length;
    }
  }
  return out;
}
