// Original file: proto/livepatch/v1/livepatch.proto


export interface GetStatusRequest {
}

export interface GetStatusRequest__Output {
}
