// Original file: proto/livepatch/v1/livepatch.proto


export interface BatchEnd {
}

export interface BatchEnd__Output {
}
