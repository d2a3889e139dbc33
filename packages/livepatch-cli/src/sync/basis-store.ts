import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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
}

/**
 * Signatures (and small contents) of what the agent holds, by content hash (SHA-256, hex), so a delta
 * needs no signature round trip.
 *
 * @remarks
 * A signature is a function of the content alone, so the store is content-addressed and never stale: a
 * content the agent holds is found by the hash its tree listing gives, in this run or a later one (the
 * on-disk store, e.g. `~/.cache/velocity/livepatch`, is shared by every sync). Files are written atomically
 * (temp file, rename); a missing or corrupt one is a miss, and a miss costs one `GetSignatures` call.
 */
export class BasisStore {
  readonly #memory = new Map<string, KnownBasis>();
  readonly #dir: string | undefined;
  readonly #maxBasisBytes: number;
  readonly #minSignatureBytes: number;

  constructor(options: BasisStoreOptions = {}) {
    this.#dir = options.dir;
    this.#maxBasisBytes = options.maxBasisBytes ?? 256 * 1024;
    this.#minSignatureBytes = options.minSignatureBytes ?? 1024;
  }

  /** Whether a content of `size` bytes is worth remembering (smaller ones always go whole). */
  wants(size: number): boolean {
    return size >= this.#minSignatureBytes;
  }

  /** The known basis of the content with hash `hash` (hex), or `undefined`. */
  async get(hash: string): Promise<KnownBasis | undefined> {
    const known = this.#memory.get(hash);
    if (known !== undefined || this.#dir === undefined) return known;
    try {
      const signature = decodeSignature(await readFile(join(this.#dir, `${hash}.sig`)));
      if (Buffer.from(signature.basisHash).toString('hex') !== hash) return undefined;
      const basis = await readFile(join(this.#dir, `${hash}.basis`)).catch(() => undefined);
      const found: KnownBasis = basis === undefined ? { signature } : { signature, basis };
      this.#memory.set(hash, found);
      return found;
    } catch {
      return undefined;
    }
  }

  /** Remembers a signature received from the agent (`GetSignatures`). */
  putSignature(hash: string, signature: Signature): void {
    this.#memory.set(hash, { signature });
  }

  /** Remembers content the agent now holds: its signature, and the bytes when small. */
  async put(hash: string, bytes: Uint8Array): Promise<void> {
    if (!this.wants(bytes.length) || this.#memory.has(hash)) return;
    const signature = computeSignature(bytes, { basisHash: Buffer.from(hash, 'hex') });
    const known: KnownBasis =
      bytes.length <= this.#maxBasisBytes ? { signature, basis: bytes } : { signature };
    this.#memory.set(hash, known);
    if (this.#dir === undefined) return;
    await mkdir(this.#dir, { recursive: true });
    if (known.basis !== undefined)
      await writeAtomically(join(this.#dir, `${hash}.basis`), known.basis);
    await writeAtomically(join(this.#dir, `${hash}.sig`), encodeSignature(signature));
  }
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}
