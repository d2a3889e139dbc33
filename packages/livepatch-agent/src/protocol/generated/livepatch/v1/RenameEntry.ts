// Original file: proto/livepatch/v1/livepatch.proto


export interface RenameEntry {
  'from'?: (string);
}

export interface RenameEntry__Output {
  'from': (string);
}
