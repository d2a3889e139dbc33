import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  computeSignature,
  decodeSignature,
  encodeSignature,
  type Signature,
} from '@velocity/livepatch-agent/delta';

/** What the CLI knows of one content the agent holds: its signature, and for small files the bytes. */
export interface KnownBasis {
  signature: Signature;
  /** The content itself (files up to {@link BasisStoreOptions.maxBasisBytes}), for text deltas. */
  basis?: Uint8Array;
}

/** Options of {@link BasisStore}. */
export interface BasisStoreOptions {
  /** Directory of the on-disk store; memory only when unset. */
  dir?: string | undefined;
  /** Contents up to this size are kept whole (text deltas need them). @defaultValue 256 KiB */
  maxBasisBytes?: number;
  /** Contents smaller than this are not worth a signature: they always go whole. @defaultValue 1 KiB */
  minSignatureBytes?: number;
  /** Packs beyond this total size are removed, oldest first. @defaultValue 512 MiB */
  maxStoreBytes?: number;
}

/** Magic of a pack file, then a u32 record count, then the index, then the records' bytes. */
const PACK_MAGIC = Buffer.from('LPK1');
const PACK_SUFFIX = '.lpk';
/** Index entry: hash (32 bytes), kind (u8), offset in the file (f64, exact up to 2^53), length (u32). */
const INDEX_ENTRY_BYTES = 32 + 1 + 8 + 4;
const KIND_BASIS = 1;
const KIND_SIGNATURE = 2;

/** Where one content's record lives on disk. */
interface PackRecord {
  file: string;
  kind: number;
  offset: number;
  length: number;
}

/**
 * Signatures (and small contents) of what the agent holds, by content hash (SHA-256, hex), so a delta
 * needs no signature round trip.
 *
 * @remarks
 * A signature is a function of the content alone, so the store is content-addressed and never stale: a
 * content the agent holds is found by the hash its tree listing gives, in this run or a later one (the
 * on-disk store, e.g. `~/.cache/velocity/livepatch`, is shared by every sync).
 *
 * On disk, each applied batch adds one pack file (`<time>-<uuid>.lpk`, written to a temp name and
 * renamed): a count, an index of (hash, kind, offset, length) and the records. A small content is kept
 * whole (its signature is computed from it when first needed); a larger one as its encoded signature.
 * One file per batch instead of one per content: creating files is the slow part of a file system (a
 * 2,003-file initial sync spent 2-3 s creating 4,006 small files on this machine's ext4). Only the indexes
 * are read at the first lookup; a record is read when asked for. Packs beyond
 * {@link BasisStoreOptions.maxStoreBytes} are deleted, oldest first; a missing, truncated or corrupt pack
 * is a miss, and a miss costs one `GetSignatures` call.
 */
export class BasisStore {
  readonly #memory = new Map<string, KnownBasis>();
  readonly #dir: string | undefined;
  readonly #maxBasisBytes: number;
  readonly #minSignatureBytes: number;
  readonly #maxStoreBytes: number;
  #index: Promise<Map<string, PackRecord>> | undefined;

  constructor(options: BasisStoreOptions = {}) {
    this.#dir = options.dir;
    this.#maxBasisBytes = options.maxBasisBytes ?? 256 * 1024;
    this.#minSignatureBytes = options.minSignatureBytes ?? 1024;
    this.#maxStoreBytes = options.maxStoreBytes ?? 512 * 1024 * 1024;
  }

  /** Whether a content of `size` bytes is worth remembering (smaller ones always go whole). */
  wants(size: number): boolean {
    return size >= this.#minSignatureBytes;
  }

  /** Whether a content of `size` bytes is remembered by its signature (larger than the kept contents). */
  wantsSignature(size: number): boolean {
    return this.wants(size) && size > this.#maxBasisBytes;
  }

  /** The known basis of the content with hash `hash` (hex), or `undefined`. */
  async get(hash: string): Promise<KnownBasis | undefined> {
    const known = this.#memory.get(hash);
    if (known !== undefined || this.#dir === undefined) return known;
    const record = (await this.#readIndex()).get(hash);
    if (record === undefined) return undefined;
    try {
      const bytes = await readRecord(record);
      if (record.kind !== KIND_BASIS && record.kind !== KIND_SIGNATURE) return undefined;
      const found: KnownBasis =
        record.kind === KIND_BASIS ? lazyBasis(hash, bytes) : { signature: decodeSignature(bytes) };
      // A damaged record must be a miss, never a wrong basis: a delta against it would not rebuild.
      const holds =
        record.kind === KIND_BASIS
          ? createHash('sha256').update(bytes).digest('hex')
          : Buffer.from(found.signature.basisHash).toString('hex');
      if (holds !== hash) return undefined;
      this.#memory.set(hash, found);
      return found;
    } catch {
      return undefined;
    }
  }

  /** Remembers a signature received from the agent (`GetSignatures`), for this run. */
  putSignature(hash: string, signature: Signature): void {
    this.#memory.set(hash, { signature });
  }

  /**
   * Remembers contents the agent now holds (hash in hex → bytes): small ones whole, larger ones as their
   * signature; written to disk as one pack.
   *
   * @param signatures - signatures already computed, by the same hashes (see `signatureSteps`)
   * @throws the `node:fs` error when the store directory cannot be written
   */
  async putAll(
    contents: ReadonlyMap<string, Uint8Array>,
    signatures: ReadonlyMap<string, Signature> = new Map(),
  ): Promise<void> {
    const records: Array<{ hash: string; kind: number; bytes: Uint8Array }> = [];
    for (const [hash, bytes] of contents) {
      if (!this.wants(bytes.length) || this.#memory.has(hash)) continue;
      if (bytes.length <= this.#maxBasisBytes) {
        // The signature is computed when a delta first needs it.
        this.#memory.set(hash, lazyBasis(hash, bytes));
        records.push({ hash, kind: KIND_BASIS, bytes });
      } else {
        const signature =
          signatures.get(hash) ?? computeSignature(bytes, { basisHash: Buffer.from(hash, 'hex') });
        this.#memory.set(hash, { signature });
        records.push({ hash, kind: KIND_SIGNATURE, bytes: encodeSignature(signature) });
      }
    }
    if (this.#dir === undefined || records.length === 0) return;
    await mkdir(this.#dir, { recursive: true });
    const name = `${Date.now().toString().padStart(15, '0')}-${randomUUID()}${PACK_SUFFIX}`;
    const temporary = join(this.#dir, `.${name}.tmp`);
    await writeFile(temporary, encodePack(records));
    await rename(temporary, join(this.#dir, name));
    await this.#evict();
  }

  /** Hash → record over every pack on disk, read once. */
  #readIndex(): Promise<Map<string, PackRecord>> {
    this.#index ??= (async () => {
      const index = new Map<string, PackRecord>();
      for (const file of await this.#packs()) {
        try {
          for (const record of await readPackIndex(file)) index.set(record.hash, record);
        } catch {
          // A truncated or foreign file: its contents are misses.
        }
      }
      return index;
    })();
    return this.#index;
  }

  /** Pack files, oldest first (names start with the time they were written). */
  async #packs(): Promise<string[]> {
    const dir = this.#dir;
    if (dir === undefined) return [];
    const names = await readdir(dir).catch(() => [] as string[]);
    return names
      .filter((name) => name.endsWith(PACK_SUFFIX) && !name.startsWith('.'))
      .sort()
      .map((name) => join(dir, name));
  }

  /** Deletes the oldest packs while the store is over its size bound. */
  async #evict(): Promise<void> {
    const packs = await this.#packs();
    const sizes = await Promise.all(
      packs.map((file) =>
        stat(file).then(
          (stats) => stats.size,
          () => 0,
        ),
      ),
    );
    let total = sizes.reduce((sum, size) => sum + size, 0);
    for (let at = 0; at < packs.length - 1 && total > this.#maxStoreBytes; at += 1) {
      await rm(packs[at] ?? '', { force: true });
      total -= sizes[at] ?? 0;
    }
  }
}

/** A known basis whose signature is computed on first access. */
function lazyBasis(hash: string, basis: Uint8Array): KnownBasis {
  let signature: Signature | undefined;
  return {
    basis,
    get signature() {
      signature ??= computeSignature(basis, { basisHash: Buffer.from(hash, 'hex') });
      return signature;
    },
  };
}

function encodePack(records: ReadonlyArray<{ hash: string; kind: number; bytes: Uint8Array }>) {
  const header = Buffer.alloc(8 + records.length * INDEX_ENTRY_BYTES);
  PACK_MAGIC.copy(header, 0);
  header.writeUInt32LE(records.length, 4);
  let offset = header.length;
  records.forEach((record, at) => {
    const entry = 8 + at * INDEX_ENTRY_BYTES;
    Buffer.from(record.hash, 'hex').copy(header, entry);
    header.writeUInt8(record.kind, entry + 32);
    header.writeDoubleLE(offset, entry + 33);
    header.writeUInt32LE(record.bytes.length, entry + 41);
    offset += record.bytes.length;
  });
  return Buffer.concat([header, ...records.map((record) => record.bytes)]);
}

async function readPackIndex(file: string): Promise<Array<PackRecord & { hash: string }>> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (!head.subarray(0, 4).equals(PACK_MAGIC)) return [];
    const count = head.readUInt32LE(4);
    const index = Buffer.alloc(count * INDEX_ENTRY_BYTES);
    const { bytesRead } = await handle.read(index, 0, index.length, 8);
    if (bytesRead !== index.length) return [];
    const records: Array<PackRecord & { hash: string }> = [];
    for (let at = 0; at < count; at += 1) {
      const entry = at * INDEX_ENTRY_BYTES;
      records.push({
        file,
        hash: index.toString('hex', entry, entry + 32),
        kind: index.readUInt8(entry + 32),
        offset: index.readDoubleLE(entry + 33),
        length: index.readUInt32LE(entry + 41),
      });
    }
    return records;
  } finally {
    await handle.close();
  }
}

async function readRecord(record: PackRecord): Promise<Buffer> {
  const handle = await open(record.file, 'r');
  try {
    const bytes = Buffer.alloc(record.length);
    const { bytesRead } = await handle.read(bytes, 0, record.length, record.offset);
    if (bytesRead !== record.length) throw new Error(`${record.file} is truncated`);
    return bytes;
  } finally {
    await handle.close();
  }
}
