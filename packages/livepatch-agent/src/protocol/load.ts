import { loadPackageDefinition } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import descriptor from './generated/descriptor.json' with { type: 'json' };
import type { ProtoGrpcType } from './generated/livepatch.js';
import { PROTO_LOADER_OPTIONS } from './options.js';

/**
 * Loads the LivePatch protocol (`proto/livepatch/v1/livepatch.proto`, package `livepatch.v1`) for grpc-js:
 * the service definition to serve and the client constructor to call it.
 *
 * @remarks
 * Built from the committed protobufjs JSON descriptor (`src/protocol/generated/descriptor.json`, made by
 * `npm run generate`), so no `.proto` file is read at run time and the bundle and single executable carry
 * the protocol inside. Cheap enough to call once per server or client.
 *
 * @returns the generated, typed view of the package: `livepatch.v1.LivePatch` is both the client
 *   constructor and, as `.service`, the service definition for `server.addService`
 */
export function loadLivePatchProtocol(): ProtoGrpcType {
  // A JSON import is typed with plain strings where protobufjs' INamespace wants literal unions.
  const json = descriptor as unknown as Parameters<typeof fromJSON>[0];
  const definition = fromJSON(json, PROTO_LOADER_OPTIONS);
  return loadPackageDefinition(definition) as unknown as ProtoGrpcType;
}
