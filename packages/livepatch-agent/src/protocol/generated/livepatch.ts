import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ApplyChunk as _livepatch_v1_ApplyChunk, ApplyChunk__Output as _livepatch_v1_ApplyChunk__Output } from './livepatch/v1/ApplyChunk.js';
import type { ApplyResult as _livepatch_v1_ApplyResult, ApplyResult__Output as _livepatch_v1_ApplyResult__Output } from './livepatch/v1/ApplyResult.js';
import type { BatchEnd as _livepatch_v1_BatchEnd, BatchEnd__Output as _livepatch_v1_BatchEnd__Output } from './livepatch/v1/BatchEnd.js';
import type { BatchHeader as _livepatch_v1_BatchHeader, BatchHeader__Output as _livepatch_v1_BatchHeader__Output } from './livepatch/v1/BatchHeader.js';
import type { BatchSummary as _livepatch_v1_BatchSummary, BatchSummary__Output as _livepatch_v1_BatchSummary__Output } from './livepatch/v1/BatchSummary.js';
import type { DirectoryListing as _livepatch_v1_DirectoryListing, DirectoryListing__Output as _livepatch_v1_DirectoryListing__Output } from './livepatch/v1/DirectoryListing.js';
import type { DirectoryQuery as _livepatch_v1_DirectoryQuery, DirectoryQuery__Output as _livepatch_v1_DirectoryQuery__Output } from './livepatch/v1/DirectoryQuery.js';
import type { Entry as _livepatch_v1_Entry, Entry__Output as _livepatch_v1_Entry__Output } from './livepatch/v1/Entry.js';
import type { FileSignature as _livepatch_v1_FileSignature, FileSignature__Output as _livepatch_v1_FileSignature__Output } from './livepatch/v1/FileSignature.js';
import type { GetSignaturesRequest as _livepatch_v1_GetSignaturesRequest, GetSignaturesRequest__Output as _livepatch_v1_GetSignaturesRequest__Output } from './livepatch/v1/GetSignaturesRequest.js';
import type { GetSignaturesResponse as _livepatch_v1_GetSignaturesResponse, GetSignaturesResponse__Output as _livepatch_v1_GetSignaturesResponse__Output } from './livepatch/v1/GetSignaturesResponse.js';
import type { GetStatusRequest as _livepatch_v1_GetStatusRequest, GetStatusRequest__Output as _livepatch_v1_GetStatusRequest__Output } from './livepatch/v1/GetStatusRequest.js';
import type { GetStatusResponse as _livepatch_v1_GetStatusResponse, GetStatusResponse__Output as _livepatch_v1_GetStatusResponse__Output } from './livepatch/v1/GetStatusResponse.js';
import type { GetTreeRequest as _livepatch_v1_GetTreeRequest, GetTreeRequest__Output as _livepatch_v1_GetTreeRequest__Output } from './livepatch/v1/GetTreeRequest.js';
import type { GetTreeResponse as _livepatch_v1_GetTreeResponse, GetTreeResponse__Output as _livepatch_v1_GetTreeResponse__Output } from './livepatch/v1/GetTreeResponse.js';
import type { IgnoreFile as _livepatch_v1_IgnoreFile, IgnoreFile__Output as _livepatch_v1_IgnoreFile__Output } from './livepatch/v1/IgnoreFile.js';
import type { InlineOperation as _livepatch_v1_InlineOperation, InlineOperation__Output as _livepatch_v1_InlineOperation__Output } from './livepatch/v1/InlineOperation.js';
import type { LivePatchClient as _livepatch_v1_LivePatchClient, LivePatchDefinition as _livepatch_v1_LivePatchDefinition } from './livepatch/v1/LivePatch.js';
import type { LogEvent as _livepatch_v1_LogEvent, LogEvent__Output as _livepatch_v1_LogEvent__Output } from './livepatch/v1/LogEvent.js';
import type { LogsRequest as _livepatch_v1_LogsRequest, LogsRequest__Output as _livepatch_v1_LogsRequest__Output } from './livepatch/v1/LogsRequest.js';
import type { MakeDirectory as _livepatch_v1_MakeDirectory, MakeDirectory__Output as _livepatch_v1_MakeDirectory__Output } from './livepatch/v1/MakeDirectory.js';
import type { MakeSymlink as _livepatch_v1_MakeSymlink, MakeSymlink__Output as _livepatch_v1_MakeSymlink__Output } from './livepatch/v1/MakeSymlink.js';
import type { Operation as _livepatch_v1_Operation, Operation__Output as _livepatch_v1_Operation__Output } from './livepatch/v1/Operation.js';
import type { OperationBundle as _livepatch_v1_OperationBundle, OperationBundle__Output as _livepatch_v1_OperationBundle__Output } from './livepatch/v1/OperationBundle.js';
import type { ReloadReport as _livepatch_v1_ReloadReport, ReloadReport__Output as _livepatch_v1_ReloadReport__Output } from './livepatch/v1/ReloadReport.js';
import type { RemoveEntry as _livepatch_v1_RemoveEntry, RemoveEntry__Output as _livepatch_v1_RemoveEntry__Output } from './livepatch/v1/RemoveEntry.js';
import type { RenameEntry as _livepatch_v1_RenameEntry, RenameEntry__Output as _livepatch_v1_RenameEntry__Output } from './livepatch/v1/RenameEntry.js';
import type { SetMode as _livepatch_v1_SetMode, SetMode__Output as _livepatch_v1_SetMode__Output } from './livepatch/v1/SetMode.js';
import type { WriteFile as _livepatch_v1_WriteFile, WriteFile__Output as _livepatch_v1_WriteFile__Output } from './livepatch/v1/WriteFile.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  livepatch: {
    v1: {
      ApplyChunk: MessageTypeDefinition<_livepatch_v1_ApplyChunk, _livepatch_v1_ApplyChunk__Output>
      ApplyResult: MessageTypeDefinition<_livepatch_v1_ApplyResult, _livepatch_v1_ApplyResult__Output>
      BatchEnd: MessageTypeDefinition<_livepatch_v1_BatchEnd, _livepatch_v1_BatchEnd__Output>
      BatchHeader: MessageTypeDefinition<_livepatch_v1_BatchHeader, _livepatch_v1_BatchHeader__Output>
      BatchSummary: MessageTypeDefinition<_livepatch_v1_BatchSummary, _livepatch_v1_BatchSummary__Output>
      Compression: EnumTypeDefinition
      ContentEncoding: EnumTypeDefinition
      DirectoryListing: MessageTypeDefinition<_livepatch_v1_DirectoryListing, _livepatch_v1_DirectoryListing__Output>
      DirectoryQuery: MessageTypeDefinition<_livepatch_v1_DirectoryQuery, _livepatch_v1_DirectoryQuery__Output>
      Entry: MessageTypeDefinition<_livepatch_v1_Entry, _livepatch_v1_Entry__Output>
      EntryType: EnumTypeDefinition
      FileSignature: MessageTypeDefinition<_livepatch_v1_FileSignature, _livepatch_v1_FileSignature__Output>
      GetSignaturesRequest: MessageTypeDefinition<_livepatch_v1_GetSignaturesRequest, _livepatch_v1_GetSignaturesRequest__Output>
      GetSignaturesResponse: MessageTypeDefinition<_livepatch_v1_GetSignaturesResponse, _livepatch_v1_GetSignaturesResponse__Output>
      GetStatusRequest: MessageTypeDefinition<_livepatch_v1_GetStatusRequest, _livepatch_v1_GetStatusRequest__Output>
      GetStatusResponse: MessageTypeDefinition<_livepatch_v1_GetStatusResponse, _livepatch_v1_GetStatusResponse__Output>
      GetTreeRequest: MessageTypeDefinition<_livepatch_v1_GetTreeRequest, _livepatch_v1_GetTreeRequest__Output>
      GetTreeResponse: MessageTypeDefinition<_livepatch_v1_GetTreeResponse, _livepatch_v1_GetTreeResponse__Output>
      IgnoreFile: MessageTypeDefinition<_livepatch_v1_IgnoreFile, _livepatch_v1_IgnoreFile__Output>
      InlineOperation: MessageTypeDefinition<_livepatch_v1_InlineOperation, _livepatch_v1_InlineOperation__Output>
      LivePatch: SubtypeConstructor<typeof grpc.Client, _livepatch_v1_LivePatchClient> & { service: _livepatch_v1_LivePatchDefinition }
      LogEvent: MessageTypeDefinition<_livepatch_v1_LogEvent, _livepatch_v1_LogEvent__Output>
      LogsRequest: MessageTypeDefinition<_livepatch_v1_LogsRequest, _livepatch_v1_LogsRequest__Output>
      MakeDirectory: MessageTypeDefinition<_livepatch_v1_MakeDirectory, _livepatch_v1_MakeDirectory__Output>
      MakeSymlink: MessageTypeDefinition<_livepatch_v1_MakeSymlink, _livepatch_v1_MakeSymlink__Output>
      Operation: MessageTypeDefinition<_livepatch_v1_Operation, _livepatch_v1_Operation__Output>
      OperationBundle: MessageTypeDefinition<_livepatch_v1_OperationBundle, _livepatch_v1_OperationBundle__Output>
      ReloadReport: MessageTypeDefinition<_livepatch_v1_ReloadReport, _livepatch_v1_ReloadReport__Output>
      RemoveEntry: MessageTypeDefinition<_livepatch_v1_RemoveEntry, _livepatch_v1_RemoveEntry__Output>
      RenameEntry: MessageTypeDefinition<_livepatch_v1_RenameEntry, _livepatch_v1_RenameEntry__Output>
      SetMode: MessageTypeDefinition<_livepatch_v1_SetMode, _livepatch_v1_SetMode__Output>
      WriteFile: MessageTypeDefinition<_livepatch_v1_WriteFile, _livepatch_v1_WriteFile__Output>
    }
  }
}

