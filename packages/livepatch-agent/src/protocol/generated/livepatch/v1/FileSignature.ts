// Original file: proto/livepatch/v1/livepatch.proto


export interface FileSignature {
  'path'?: (string);
  /**
   * Whole-file hash of the basis the signature describes.
   */
  'basisHash'?: (Buffer | Uint8Array | string);
  /**
   * The encoded signature (see the delta module's signature format); empty when the file is absent.
   */
  'signature'?: (Buffer | Uint8Array | string);
}

export interface FileSignature__Output {
  'path': (string);
  /**
   * Whole-file hash of the basis the signature describes.
   */
  'basisHash': (Buffer);
  /**
   * The encoded signature (see the delta module's signature format); empty when the file is absent.
   */
  'signature': (Buffer);
}
