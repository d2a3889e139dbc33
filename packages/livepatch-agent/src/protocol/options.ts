import type { Options } from '@grpc/proto-loader';

/**
 * How the LivePatch protocol is loaded, shared by the loader ({@link loadLivePatchProtocol}) and the
 * generated types (`npm run generate`), so that the types describe exactly the objects grpc-js hands over:
 * camelCase fields (proto-loader's default), 64-bit integers as JavaScript numbers (sizes stay far below
 * 2^53), enums as their names, bytes as Buffers, defaults for absent fields, and a virtual field naming the
 * member set in each oneof.
 */
/**
 * Trailing metadata of a FAILED_PRECONDITION Apply: the paths (a JSON list, UTF-8) whose basis at the agent
 * is not the one the CLI computed its deltas against.
 */
export const BASIS_MISMATCH_METADATA = 'livepatch-basis-mismatch-bin';

export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies Options;
