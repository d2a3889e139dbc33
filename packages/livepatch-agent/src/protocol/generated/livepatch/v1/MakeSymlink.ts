// Original file: proto/livepatch/v1/livepatch.proto


export interface MakeSymlink {
  'target'?: (string);
}

export interface MakeSymlink__Output {
  'target': (string);
}
