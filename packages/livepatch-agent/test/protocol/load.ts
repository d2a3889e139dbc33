import t from 'tap';
import { loadLivePatchProtocol } from '../../src/protocol/index.js';

t.test('the service definition has the five methods with their streaming kinds', async (t) => {
  const service = loadLivePatchProtocol().livepatch.v1.LivePatch.service;
  const kinds = Object.fromEntries(
    Object.entries(service).map(([name, method]) => [
      name,
      `${method.requestStream ? 'stream' : 'unary'}->${method.responseStream ? 'stream' : 'unary'}`,
    ]),
  );
  t.strictSame(kinds, {
    GetTree: 'unary->unary',
    GetSignatures: 'unary->unary',
    Apply: 'stream->unary',
    Logs: 'unary->stream',
    GetStatus: 'unary->unary',
  });
});

t.test(
  'messages round-trip with the loader options: camelCase, numbers, enum names, oneofs',
  async (t) => {
    const service = loadLivePatchProtocol().livepatch.v1.LivePatch.service;
    const { requestSerialize, requestDeserialize } = service.Apply;
    const chunk = {
      operation: {
        path: 'src/a.ts',
        write: {
          encoding: 'CONTENT_ENCODING_DELTA' as const,
          payloadSize: 12,
          size: 2 ** 40,
          hash: Buffer.alloc(32, 1),
        },
      },
    };
    const decoded = requestDeserialize(requestSerialize(chunk));
    t.equal(decoded.part, 'operation');
    t.equal(decoded.operation?.change, 'write');
    t.equal(decoded.operation?.write?.encoding, 'CONTENT_ENCODING_DELTA');
    t.equal(decoded.operation?.write?.size, 2 ** 40);
    t.equal(decoded.operation?.write?.compression, 'COMPRESSION_NONE', 'defaults filled in');
    t.strictSame(decoded.operation?.write?.hash, Buffer.alloc(32, 1));
  },
);
