// Original file: proto/livepatch/v1/livepatch.proto


export interface SetMode {
  'mode'?: (number);
}

export interface SetMode__Output {
  'mode': (number);
}
