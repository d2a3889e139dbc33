/**
 * Regenerates the committed protocol artefacts from `proto/livepatch/v1/livepatch.proto`:
 * `src/protocol/generated/descriptor.json` (the protobufjs JSON descriptor the loader reads, so no `.proto`
 * file is needed at run time, also inside the single executable) and the TypeScript types
 * (`proto-loader-gen-types`, with the loader's own options).
 *
 * Run from the package directory: `npm run generate`. `test/protocol/generated.ts` fails when the committed
 * files are stale.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { PROTO_LOADER_OPTIONS } from '../src/protocol/options.js';

const packageDir = join(import.meta.dirname, '..');
const out = process.argv[2] ?? join(packageDir, 'src/protocol/generated');
const proto = 'proto/livepatch/v1/livepatch.proto';

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const root = protobuf.loadSync(join(packageDir, proto));
writeFileSync(join(out, 'descriptor.json'), `${JSON.stringify(root.toJSON(), null, 2)}\n`);
execFileSync(
  join(packageDir, '../../node_modules/.bin/proto-loader-gen-types'),
  [
    `--keepCase=${String(PROTO_LOADER_OPTIONS.keepCase)}`,
    '--longs=Number',
    '--enums=String',
    ...(PROTO_LOADER_OPTIONS.defaults ? ['--defaults'] : []),
    ...(PROTO_LOADER_OPTIONS.oneofs ? ['--oneofs'] : []),
    '--grpcLib=@grpc/grpc-js',
    '--includeComments',
    '--importFileExtension=.js',
    '-O',
    out,
    proto,
  ],
  { cwd: packageDir, stdio: 'inherit' },
);
