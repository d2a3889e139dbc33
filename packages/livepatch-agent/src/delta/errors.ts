/**
 * Errors thrown by the delta module. Every one but {@link InvalidDeltaOptionError} means "this input
 * cannot be used", never a bug: the CLI falls back to sending the whole file, and the agent answers
 * INVALID_ARGUMENT (malformed or oversized payload). Basis and result hash checks are the agent's
 * (`server/errors.ts`).
 *
 * @module
 */
import { VelocityError, type VelocityErrorOptions } from '@velocity/core';

/** An encoded or hand-built signature is malformed: bad magic, version, bounds, or length. */
export class InvalidSignatureError extends VelocityError {
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('LIVEPATCH_SIGNATURE_INVALID', message, options);
  }
}

/** An encoded delta or a delta operation is malformed: bad magic, varint, length, or offset. */
export class InvalidDeltaError extends VelocityError {
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('LIVEPATCH_DELTA_INVALID', message, options);
  }
}

/** Applying a delta would produce more bytes than the caller allows. */
export class DeltaTooLargeError extends VelocityError {
  /** Bytes the delta would produce (at least; decoding stops at the first overflow). */
  readonly size: number;
  /** The limit, in bytes. */
  readonly maxSize: number;

  constructor(size: number, maxSize: number, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_DELTA_TOO_LARGE',
      `Delta output of "${size}" bytes exceeds the limit of "${maxSize}" bytes. Send the file whole or raise maxSize.`,
      options,
    );
    this.size = size;
    this.maxSize = maxSize;
  }
}

/** A copy operation reads outside the basis. */
export class DeltaCopyOutOfRangeError extends VelocityError {
  /** First basis byte the copy reads. */
  readonly offset: number;
  /** Bytes the copy reads. */
  readonly length: number;
  /** Size of the basis, in bytes. */
  readonly basisSize: number;

  constructor(
    offset: number,
    length: number,
    basisSize: number,
    options: VelocityErrorOptions = {},
  ) {
    super(
      'LIVEPATCH_DELTA_COPY_OUT_OF_RANGE',
      `Delta copies bytes "${offset}..${offset + length}" from a basis of "${basisSize}" bytes. Recompute the delta against the current signature.`,
      options,
    );
    this.offset = offset;
    this.length = length;
    this.basisSize = basisSize;
  }
}

/** An option passed to a delta function is out of range (a caller bug, not hostile input). */
export class InvalidDeltaOptionError extends VelocityError {
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('LIVEPATCH_DELTA_OPTION_INVALID', message, options);
  }
}
