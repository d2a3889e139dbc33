// Original file: proto/livepatch/v1/livepatch.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ApplyChunk as _livepatch_v1_ApplyChunk, ApplyChunk__Output as _livepatch_v1_ApplyChunk__Output } from '../../livepatch/v1/ApplyChunk.js';
import type { ApplyResult as _livepatch_v1_ApplyResult, ApplyResult__Output as _livepatch_v1_ApplyResult__Output } from '../../livepatch/v1/ApplyResult.js';
import type { GetSignaturesRequest as _livepatch_v1_GetSignaturesRequest, GetSignaturesRequest__Output as _livepatch_v1_GetSignaturesRequest__Output } from '../../livepatch/v1/GetSignaturesRequest.js';
import type { GetSignaturesResponse as _livepatch_v1_GetSignaturesResponse, GetSignaturesResponse__Output as _livepatch_v1_GetSignaturesResponse__Output } from '../../livepatch/v1/GetSignaturesResponse.js';
import type { GetStatusRequest as _livepatch_v1_GetStatusRequest, GetStatusRequest__Output as _livepatch_v1_GetStatusRequest__Output } from '../../livepatch/v1/GetStatusRequest.js';
import type { GetStatusResponse as _livepatch_v1_GetStatusResponse, GetStatusResponse__Output as _livepatch_v1_GetStatusResponse__Output } from '../../livepatch/v1/GetStatusResponse.js';
import type { GetTreeRequest as _livepatch_v1_GetTreeRequest, GetTreeRequest__Output as _livepatch_v1_GetTreeRequest__Output } from '../../livepatch/v1/GetTreeRequest.js';
import type { GetTreeResponse as _livepatch_v1_GetTreeResponse, GetTreeResponse__Output as _livepatch_v1_GetTreeResponse__Output } from '../../livepatch/v1/GetTreeResponse.js';
import type { LogEvent as _livepatch_v1_LogEvent, LogEvent__Output as _livepatch_v1_LogEvent__Output } from '../../livepatch/v1/LogEvent.js';
import type { LogsRequest as _livepatch_v1_LogsRequest, LogsRequest__Output as _livepatch_v1_LogsRequest__Output } from '../../livepatch/v1/LogsRequest.js';

export interface LivePatchClient extends grpc.Client {
  /**
   * One batch of changes, applied all-or-nothing, then the reload rules it triggers.
   */
  Apply(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_ApplyResult__Output>): grpc.ClientWritableStream<_livepatch_v1_ApplyChunk>;
  Apply(metadata: grpc.Metadata, callback: grpc.requestCallback<_livepatch_v1_ApplyResult__Output>): grpc.ClientWritableStream<_livepatch_v1_ApplyChunk>;
  Apply(options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_ApplyResult__Output>): grpc.ClientWritableStream<_livepatch_v1_ApplyChunk>;
  Apply(callback: grpc.requestCallback<_livepatch_v1_ApplyResult__Output>): grpc.ClientWritableStream<_livepatch_v1_ApplyChunk>;
  /**
   * One batch of changes, applied all-or-nothing, then the reload rules it triggers.
   */
  apply(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_ApplyResult__Output>): grpc.ClientWritableStream<_livepatch_v1_ApplyChunk>;
  apply(metadata: grpc.Metadata, callback: grpc.requestCallback<_livepatch_v1_ApplyResult__Output>): grpc.ClientWritableStream<_livepatch_v1_ApplyChunk>;
  apply(options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_ApplyResult__Output>): grpc.ClientWritableStream<_livepatch_v1_ApplyChunk>;
  apply(callback: grpc.requestCallback<_livepatch_v1_ApplyResult__Output>): grpc.ClientWritableStream<_livepatch_v1_ApplyChunk>;
  
  /**
   * Fresh signatures of files whose basis the CLI's cached signature no longer matches.
   */
  GetSignatures(argument: _livepatch_v1_GetSignaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetSignaturesResponse__Output>): grpc.ClientUnaryCall;
  GetSignatures(argument: _livepatch_v1_GetSignaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_livepatch_v1_GetSignaturesResponse__Output>): grpc.ClientUnaryCall;
  GetSignatures(argument: _livepatch_v1_GetSignaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetSignaturesResponse__Output>): grpc.ClientUnaryCall;
  GetSignatures(argument: _livepatch_v1_GetSignaturesRequest, callback: grpc.requestCallback<_livepatch_v1_GetSignaturesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Fresh signatures of files whose basis the CLI's cached signature no longer matches.
   */
  getSignatures(argument: _livepatch_v1_GetSignaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetSignaturesResponse__Output>): grpc.ClientUnaryCall;
  getSignatures(argument: _livepatch_v1_GetSignaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_livepatch_v1_GetSignaturesResponse__Output>): grpc.ClientUnaryCall;
  getSignatures(argument: _livepatch_v1_GetSignaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetSignaturesResponse__Output>): grpc.ClientUnaryCall;
  getSignatures(argument: _livepatch_v1_GetSignaturesRequest, callback: grpc.requestCallback<_livepatch_v1_GetSignaturesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The agent's state for dashboards: when it started, the last batch applied with its latency, and its
   * recent events (batch applied, reload, restart, rollback, crash), kept apart from the app's output so
   * a chatty app cannot push them out.
   */
  GetStatus(argument: _livepatch_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _livepatch_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_livepatch_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _livepatch_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _livepatch_v1_GetStatusRequest, callback: grpc.requestCallback<_livepatch_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The agent's state for dashboards: when it started, the last batch applied with its latency, and its
   * recent events (batch applied, reload, restart, rollback, crash), kept apart from the app's output so
   * a chatty app cannot push them out.
   */
  getStatus(argument: _livepatch_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _livepatch_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_livepatch_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _livepatch_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _livepatch_v1_GetStatusRequest, callback: grpc.requestCallback<_livepatch_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Directory listings of the agent's tree, only for directories whose hash differs from the
   * one given: an unchanged tree costs one request with the root hash.
   */
  GetTree(argument: _livepatch_v1_GetTreeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  GetTree(argument: _livepatch_v1_GetTreeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_livepatch_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  GetTree(argument: _livepatch_v1_GetTreeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  GetTree(argument: _livepatch_v1_GetTreeRequest, callback: grpc.requestCallback<_livepatch_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Directory listings of the agent's tree, only for directories whose hash differs from the
   * one given: an unchanged tree costs one request with the root hash.
   */
  getTree(argument: _livepatch_v1_GetTreeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  getTree(argument: _livepatch_v1_GetTreeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_livepatch_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  getTree(argument: _livepatch_v1_GetTreeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_livepatch_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  getTree(argument: _livepatch_v1_GetTreeRequest, callback: grpc.requestCallback<_livepatch_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The agent's events (batch applied, reload, rollback) and the app's output, scrubbed.
   */
  Logs(argument: _livepatch_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_livepatch_v1_LogEvent__Output>;
  Logs(argument: _livepatch_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_livepatch_v1_LogEvent__Output>;
  /**
   * The agent's events (batch applied, reload, rollback) and the app's output, scrubbed.
   */
  logs(argument: _livepatch_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_livepatch_v1_LogEvent__Output>;
  logs(argument: _livepatch_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_livepatch_v1_LogEvent__Output>;
  
}

export interface LivePatchHandlers extends grpc.UntypedServiceImplementation {
  /**
   * One batch of changes, applied all-or-nothing, then the reload rules it triggers.
   */
  Apply: grpc.handleClientStreamingCall<_livepatch_v1_ApplyChunk__Output, _livepatch_v1_ApplyResult>;
  
  /**
   * Fresh signatures of files whose basis the CLI's cached signature no longer matches.
   */
  GetSignatures: grpc.handleUnaryCall<_livepatch_v1_GetSignaturesRequest__Output, _livepatch_v1_GetSignaturesResponse>;
  
  /**
   * The agent's state for dashboards: when it started, the last batch applied with its latency, and its
   * recent events (batch applied, reload, restart, rollback, crash), kept apart from the app's output so
   * a chatty app cannot push them out.
   */
  GetStatus: grpc.handleUnaryCall<_livepatch_v1_GetStatusRequest__Output, _livepatch_v1_GetStatusResponse>;
  
  /**
   * Directory listings of the agent's tree, only for directories whose hash differs from the
   * one given: an unchanged tree costs one request with the root hash.
   */
  GetTree: grpc.handleUnaryCall<_livepatch_v1_GetTreeRequest__Output, _livepatch_v1_GetTreeResponse>;
  
  /**
   * The agent's events (batch applied, reload, rollback) and the app's output, scrubbed.
   */
  Logs: grpc.handleServerStreamingCall<_livepatch_v1_LogsRequest__Output, _livepatch_v1_LogEvent>;
  
}

export interface LivePatchDefinition extends grpc.ServiceDefinition {
  Apply: MethodDefinition<_livepatch_v1_ApplyChunk, _livepatch_v1_ApplyResult, _livepatch_v1_ApplyChunk__Output, _livepatch_v1_ApplyResult__Output>
  GetSignatures: MethodDefinition<_livepatch_v1_GetSignaturesRequest, _livepatch_v1_GetSignaturesResponse, _livepatch_v1_GetSignaturesRequest__Output, _livepatch_v1_GetSignaturesResponse__Output>
  GetStatus: MethodDefinition<_livepatch_v1_GetStatusRequest, _livepatch_v1_GetStatusResponse, _livepatch_v1_GetStatusRequest__Output, _livepatch_v1_GetStatusResponse__Output>
  GetTree: MethodDefinition<_livepatch_v1_GetTreeRequest, _livepatch_v1_GetTreeResponse, _livepatch_v1_GetTreeRequest__Output, _livepatch_v1_GetTreeResponse__Output>
  Logs: MethodDefinition<_livepatch_v1_LogsRequest, _livepatch_v1_LogEvent, _livepatch_v1_LogsRequest__Output, _livepatch_v1_LogEvent__Output>
}
