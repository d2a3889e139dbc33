import { status, type ServiceError } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import { VelocityError, type VelocityErrorOptions } from '@velocity/core';
import {
  BasisUnavailableError,
  ContentMismatchError,
  PathRefusedError,
  SizeLimitError,
} from '../apply/index.js';
import { BASIS_MISMATCH_METADATA } from '../protocol/index.js';

/** An Apply stream that does not follow the protocol (order, sizes, missing fields). */
export class ProtocolError extends VelocityError {
  /** @param message - what is wrong with the stream */
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('LIVEPATCH_PROTOCOL', message, options);
    this.name = 'ProtocolError';
  }
}

/**
 * The agent's files are not the bases the CLI computed its deltas against (they changed outside LivePatch,
 * or the CLI's signature cache is stale). Nothing was applied; the CLI fetches fresh signatures and resends.
 */
export class BasisMismatchError extends VelocityError {
  readonly paths: readonly string[];

  /** @param paths - every path whose basis differs */
  constructor(paths: readonly string[]) {
    super(
      'LIVEPATCH_BASIS_MISMATCH',
      `The agent's ${paths.length === 1 ? `"${paths[0] ?? ''}" is` : `${paths.length} files are`} not the basis the delta was computed against. Fetch fresh signatures (GetSignatures) and send the batch again.`,
    );
    this.name = 'BasisMismatchError';
    this.paths = paths;
  }
}

/**
 * A domain error as a gRPC error: INVALID_ARGUMENT for a refused path (naming it and why) or a malformed
 * stream, FAILED_PRECONDITION for a basis mismatch (the paths in {@link BASIS_MISMATCH_METADATA}),
 * RESOURCE_EXHAUSTED for a size limit, DATA_LOSS for content that does not match its hash, INTERNAL
 * otherwise.
 *
 * @see {@link https://grpc.github.io/grpc/core/md_doc_statuscodes.html}
 */
export function toServiceError(error: unknown): Partial<ServiceError> {
  const details = error instanceof Error ? error.message : String(error);
  if (error instanceof BasisMismatchError) {
    const metadata = new Metadata();
    metadata.set(BASIS_MISMATCH_METADATA, Buffer.from(JSON.stringify(error.paths)));
    return { code: status.FAILED_PRECONDITION, details, metadata };
  }
  if (error instanceof PathRefusedError || error instanceof ProtocolError) {
    return { code: status.INVALID_ARGUMENT, details };
  }
  if (error instanceof BasisUnavailableError) return { code: status.FAILED_PRECONDITION, details };
  if (error instanceof SizeLimitError) return { code: status.RESOURCE_EXHAUSTED, details };
  if (error instanceof ContentMismatchError) return { code: status.DATA_LOSS, details };
  return { code: status.INTERNAL, details };
}
