// Original file: proto/livepatch/v1/livepatch.proto


export interface GetSignaturesRequest {
  'paths'?: (string)[];
}

export interface GetSignaturesRequest__Output {
  'paths': (string)[];
}
