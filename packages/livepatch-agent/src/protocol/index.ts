/**
 * The LivePatch wire protocol: the loader, its options, and the generated message and service types.
 *
 * @module
 */
export { loadLivePatchProtocol } from './load.js';
export { BASIS_MISMATCH_METADATA, PROTO_LOADER_OPTIONS } from './options.js';
export type { ProtoGrpcType } from './generated/livepatch.js';
export type { LivePatchClient, LivePatchHandlers } from './generated/livepatch/v1/LivePatch.js';
export type { ApplyChunk, ApplyChunk__Output } from './generated/livepatch/v1/ApplyChunk.js';
export type { ApplyResult, ApplyResult__Output } from './generated/livepatch/v1/ApplyResult.js';
export type {
  DirectoryListing,
  DirectoryListing__Output,
} from './generated/livepatch/v1/DirectoryListing.js';
export type {
  DirectoryQuery,
  DirectoryQuery__Output,
} from './generated/livepatch/v1/DirectoryQuery.js';
export type { BatchSummary, BatchSummary__Output } from './generated/livepatch/v1/BatchSummary.js';
export type { Entry, Entry__Output } from './generated/livepatch/v1/Entry.js';
export type { EntryType, EntryType__Output } from './generated/livepatch/v1/EntryType.js';
export type {
  FileSignature,
  FileSignature__Output,
} from './generated/livepatch/v1/FileSignature.js';
export type {
  GetSignaturesRequest,
  GetSignaturesRequest__Output,
} from './generated/livepatch/v1/GetSignaturesRequest.js';
export type {
  GetSignaturesResponse,
  GetSignaturesResponse__Output,
} from './generated/livepatch/v1/GetSignaturesResponse.js';
export type {
  GetStatusRequest,
  GetStatusRequest__Output,
} from './generated/livepatch/v1/GetStatusRequest.js';
export type {
  GetStatusResponse,
  GetStatusResponse__Output,
} from './generated/livepatch/v1/GetStatusResponse.js';
export type {
  GetTreeRequest,
  GetTreeRequest__Output,
} from './generated/livepatch/v1/GetTreeRequest.js';
export type {
  GetTreeResponse,
  GetTreeResponse__Output,
} from './generated/livepatch/v1/GetTreeResponse.js';
export type { IgnoreFile, IgnoreFile__Output } from './generated/livepatch/v1/IgnoreFile.js';
export type { LogEvent, LogEvent__Output } from './generated/livepatch/v1/LogEvent.js';
export type { LogsRequest, LogsRequest__Output } from './generated/livepatch/v1/LogsRequest.js';
export type { Operation, Operation__Output } from './generated/livepatch/v1/Operation.js';
export type { ReloadReport, ReloadReport__Output } from './generated/livepatch/v1/ReloadReport.js';
export type { WriteFile, WriteFile__Output } from './generated/livepatch/v1/WriteFile.js';
