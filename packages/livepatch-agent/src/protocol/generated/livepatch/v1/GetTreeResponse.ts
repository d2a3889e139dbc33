// Original file: proto/livepatch/v1/livepatch.proto

import type { DirectoryListing as _livepatch_v1_DirectoryListing, DirectoryListing__Output as _livepatch_v1_DirectoryListing__Output } from '../../livepatch/v1/DirectoryListing.js';

export interface GetTreeResponse {
  'directories'?: (_livepatch_v1_DirectoryListing)[];
}

export interface GetTreeResponse__Output {
  'directories': (_livepatch_v1_DirectoryListing__Output)[];
}
