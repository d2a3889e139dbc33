// Original file: proto/livepatch/v1/livepatch.proto


export interface RemoveEntry {
}

export interface RemoveEntry__Output {
}
