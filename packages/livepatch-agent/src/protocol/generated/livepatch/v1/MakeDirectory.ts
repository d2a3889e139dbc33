// Original file: proto/livepatch/v1/livepatch.proto


export interface MakeDirectory {
  'mode'?: (number);
}

export interface MakeDirectory__Output {
  'mode': (number);
}
