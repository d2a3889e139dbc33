// Original file: proto/livepatch/v1/livepatch.proto

import type { FileSignature as _livepatch_v1_FileSignature, FileSignature__Output as _livepatch_v1_FileSignature__Output } from '../../livepatch/v1/FileSignature.js';

export interface GetSignaturesResponse {
  'signatures'?: (_livepatch_v1_FileSignature)[];
}

export interface GetSignaturesResponse__Output {
  'signatures': (_livepatch_v1_FileSignature__Output)[];
}
