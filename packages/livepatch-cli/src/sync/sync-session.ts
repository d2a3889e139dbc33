import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from '@velocity/core';
import {
  chooseEncoding,
  decodeSignature,
  signatureSteps,
  type Signature,
} from '@velocity/livepatch-agent/delta';
import type {
  ApplyChunk,
  ApplyResult__Output,
  DirectoryListing__Output,
  GetSignaturesResponse__Output,
  GetTreeRequest,
  LivePatchClient,
  Operation,
} from '@velocity/livepatch-agent/protocol';
import { BASIS_MISMATCH_METADATA } from '@velocity/livepatch-agent/protocol';
import {
  createIgnoreMatcher,
  descendTree,
  HashCache,
  lookupEntry,
  readIgnoreRules,
  scanTree,
  updateTree,
  walkTree,
  type IgnoreMatcher,
  type IgnoreRules,
  type TreeEntry,
  type TreeSnapshot,
} from '@velocity/livepatch-agent/tree';
import type { BasisStore } from './basis-store.js';
import { planChanges, type PathState, type PlannedChange } from './plan-changes.js';

/** What one sync did (the `--once --json` shape, without the byte counts). */
export interface SyncOutcome {
  filesChanged: number;
  filesDeleted: number;
  /** Operations sent (0 when nothing differed). */
  operations: number;
}

/** Options of {@link SyncSession.open}. */
export interface SyncSessionOptions {
  /** The source directory (absolute). */
  src: string;
  client: LivePatchClient;
  store: BasisStore;
  logger: Logger;
  /** Mirror all permission bits, not only the executable bit. */
  fullModes: boolean;
  /** gzip payloads that shrink (a sample is tried first), at the fastest level. */
  compress: boolean;
  /** Globs from config (`livepatch.ignore`), root-relative, beyond the ignore files. */
  extraIgnores: readonly string[];
  /** Content hashes kept from an earlier run (see `readHashCache`); a new, empty one by default. */
  hashCache?: HashCache | undefined;
  signal?: AbortSignal | undefined;
}

/** Files from this size on are worth a signature round trip when the CLI has none of the agent's content. */
const SIGNATURE_FETCH_BYTES = 16 * 1024;
/** Payload bytes per data chunk of an Apply stream. */
const CHUNK_BYTES = 1024 * 1024;
/**
 * Operations whose payload is at most this size travel inline in bundles of about this many bytes: one
 * message per small file made a 2,003-file initial sync latency-bound (5.5 s → see docs/livepatch.md).
 */
const BUNDLE_BYTES = 1024 * 1024;
/** Names whose change alters the ignore rules. */
const IGNORE_FILES = new Set(['.gitignore', '.dockerignore', '.livepatchignore']);

/**
 * A sync session: the local tree, what the agent holds, and the batches that make them equal.
 *
 * @remarks
 * `reconcile()` runs the Merkle descent (GetTree, only into directories whose hashes differ) and sends one
 * batch; afterwards the session knows the agent holds exactly the local snapshot. `syncPaths(paths)` (watch
 * mode) re-reads only the changed paths and diffs them against that knowledge, with no tree query. Every
 * written file goes whole, as an rsync or text delta against the content the agent holds (signatures from
 * the {@link BasisStore}; a basis the agent reports as different costs one GetSignatures and a resend), as
 * an append, or as a copy or rename of content the agent already has.
 */
export class SyncSession {
  readonly #options: SyncSessionOptions;
  readonly #hashCache: HashCache;
  #rules: IgnoreRules;
  #ignore: IgnoreMatcher;
  #local: TreeSnapshot;
  /** What the agent holds, when known (after a successful reconcile or batch). */
  #agent: TreeSnapshot | undefined;
  /** Content hash (hex, `''` for none) the agent reported for paths whose basis was not what we thought. */
  readonly #actualBasis = new Map<string, string>();

  private constructor(options: SyncSessionOptions, rules: IgnoreRules, local: TreeSnapshot) {
    this.#options = options;
    this.#hashCache = options.hashCache ?? new HashCache();
    this.#rules = rules;
    this.#ignore = createIgnoreMatcher(rules);
    this.#local = local;
  }

  /**
   * Reads the ignore rules and scans the source.
   *
   * @throws the tree module's errors when the source cannot be read
   */
  static async open(options: SyncSessionOptions): Promise<SyncSession> {
    const rules = await rulesOf(options);
    const session = new SyncSession(options, rules, undefined as unknown as TreeSnapshot);
    session.#local = await session.#scan();
    return session;
  }

  /** The content hashes this session knows (to keep for the next run). */
  get hashCache(): HashCache {
    return this.#hashCache;
  }

  /**
   * Compares the whole tree with the agent's and sends what differs.
   *
   * @param options - `rescan`: scan the source again first (default); `false` uses the scan
   *   {@link SyncSession.open} made, for a one-shot sync right after it (watch mode must rescan: its
   *   watcher starts after that scan)
   * @throws `ServiceError` from gRPC when the agent cannot be reached or refuses the batch
   */
  async reconcile(options: { rescan?: boolean } = {}): Promise<SyncOutcome> {
    if (options.rescan !== false) this.#local = await this.#scan();
    const remoteByHash = new Map<string, string[]>();
    const diffs = await descendTree(
      this.#local,
      async (directories) => {
        const listings = await this.#getTree({
          directories,
          fullModes: this.#options.fullModes,
          ignore: this.#rules.files.map(({ directory, text }) => ({ directory, text })),
        });
        for (const listing of listings) indexListing(listing, remoteByHash);
        return listings;
      },
      this.#options.signal === undefined ? {} : { signal: this.#options.signal },
    );
    const states: PathState[] = [];
    for (const diff of diffs) {
      for (const entry of diff.missing)
        this.#addLocal(states, childPath(diff.path, entry.name), entry);
      for (const entry of diff.extra) {
        states.push({ path: childPath(diff.path, entry.name), local: undefined, remote: entry });
      }
      for (const change of diff.changed) {
        states.push({ path: change.path, local: change.local, remote: change.remote });
        if (change.local.type === 'directory' && change.remote.type !== 'directory') {
          for (const { path, entry } of walkTree(this.#local, change.path)) {
            states.push({ path, local: entry, remote: undefined });
          }
        }
      }
    }
    const outcome = await this.#send(planChanges(states, remoteByHash));
    this.#agent = this.#local;
    return outcome;
  }

  /**
   * Sends the changes of `paths` (watch mode); a full {@link SyncSession.reconcile} when the agent's state is
   * unknown or an ignore file changed.
   *
   * @param paths - root-relative POSIX paths that changed (both names of a rename)
   */
  async syncPaths(paths: Iterable<string>): Promise<SyncOutcome> {
    const changed = [...new Set(paths)].filter((path) => path !== '');
    const agent = this.#agent;
    if (agent === undefined || changed.some((path) => IGNORE_FILES.has(basename(path)))) {
      this.#rules = await rulesOf(this.#options);
      this.#ignore = createIgnoreMatcher(this.#rules);
      return this.reconcile();
    }
    const local = await updateTree(this.#local, changed, {
      ignore: this.#ignore,
      hashCache: this.#hashCache,
    });
    const states: PathState[] = [];
    const seen = new Set<string>();
    const add = (path: string, entry: TreeEntry | undefined) => {
      if (seen.has(path)) return;
      seen.add(path);
      states.push({ path, local: entry, remote: lookupEntry(agent, path) });
    };
    for (const path of changed) {
      // New parents first, so that the agent can place the path.
      const parts = path.split('/');
      for (let depth = 1; depth < parts.length; depth += 1) {
        const parent = parts.slice(0, depth).join('/');
        if (lookupEntry(agent, parent) === undefined) add(parent, lookupEntry(local, parent));
      }
      const entry = lookupEntry(local, path);
      add(path, entry);
      if (entry?.type === 'directory') {
        for (const below of walkTree(local, path)) add(below.path, below.entry);
      }
    }
    const changes = planChanges(states, hashIndex(agent));
    this.#options.logger.debug('Paths changed', { paths: changed, changes: changes.length });
    this.#local = local;
    const outcome = await this.#send(changes);
    this.#agent = local;
    return outcome;
  }

  async #scan(): Promise<TreeSnapshot> {
    return scanTree(this.#options.src, {
      ignore: this.#ignore,
      fullModes: this.#options.fullModes,
      hashCache: this.#hashCache,
      ...(this.#options.signal === undefined ? {} : { signal: this.#options.signal }),
    });
  }

  #addLocal(states: PathState[], path: string, entry: TreeEntry): void {
    states.push({ path, local: entry, remote: undefined });
    if (entry.type === 'directory') {
      for (const below of walkTree(this.#local, path)) {
        states.push({ path: below.path, local: below.entry, remote: undefined });
      }
    }
  }

  #getTree(request: GetTreeRequest): Promise<DirectoryListing__Output[]> {
    return new Promise((resolve, reject) => {
      this.#options.client.GetTree(request, (error, response) => {
        if (error !== null || response === undefined) reject(error ?? new Error('no response'));
        else resolve(response.directories);
      });
    });
  }

  /** Encodes and sends the changes as one batch; on a basis mismatch, fetches signatures and resends. */
  async #send(changes: readonly PlannedChange[]): Promise<SyncOutcome> {
    if (changes.length === 0) return { filesChanged: 0, filesDeleted: 0, operations: 0 };
    // Large files the agent holds in a content this CLI has no signature of: one GetSignatures first.
    const unknown: string[] = [];
    for (const change of changes) {
      if (change.kind !== 'write' || change.remote?.type !== 'file') continue;
      if (change.entry.size < SIGNATURE_FETCH_BYTES) continue;
      if ((await this.#options.store.get(change.remote.hash.toString('hex'))) === undefined) {
        unknown.push(change.path);
      }
    }
    if (unknown.length > 0) await this.#fetchSignatures(unknown);
    let stale = new Set<string>(unknown);
    for (let attempt = 0; ; attempt += 1) {
      const written = new Map<string, Uint8Array>();
      const signatures = new Map<string, Signature>();
      try {
        const result = await this.#apply(this.#encode(changes, stale, { written, signatures }));
        await this.#options.store.putAll(written, signatures);
        this.#options.logger.debug('Batch applied', {
          batchId: result.batchId,
          filesChanged: result.filesChanged,
          filesDeleted: result.filesDeleted,
          reloads: result.reloads.map((reload) => `${reload.action}: ${reload.detail}`),
        });
        for (const reload of result.reloads) {
          if (!reload.ok) this.#options.logger.warn('Reload failed', { ...reload });
        }
        return {
          filesChanged: result.filesChanged,
          filesDeleted: result.filesDeleted,
          operations: changes.length,
        };
      } catch (error) {
        const paths = mismatchedPaths(error);
        if (paths === undefined || attempt >= 2) throw error;
        await this.#fetchSignatures(paths);
        stale = new Set(paths);
      }
    }
  }

  async #fetchSignatures(paths: readonly string[]): Promise<void> {
    const response = await new Promise<GetSignaturesResponse__Output>((resolve, reject) => {
      this.#options.client.GetSignatures({ paths: [...paths] }, (error, value) => {
        if (error !== null || value === undefined) reject(error ?? new Error('no response'));
        else resolve(value);
      });
    });
    for (const { path, basisHash, signature } of response.signatures) {
      const key = basisHash.toString('hex');
      this.#actualBasis.set(path, signature.length > 0 ? key : '');
      if (signature.length > 0) this.#options.store.putSignature(key, decodeSignature(signature));
    }
  }

  /**
   * The Apply chunks of `changes`, produced as they are sent (a file is read when the stream has room for
   * it). Each written content is added to `out.written` by hash, to remember once applied; the signature
   * the store will want of a large one is computed between sending its chunks, while the stream waits for
   * the connection anyway, into `out.signatures`.
   */
  async *#encode(
    changes: readonly PlannedChange[],
    stale: ReadonlySet<string>,
    out: { written: Map<string, Uint8Array>; signatures: Map<string, Signature> },
  ): AsyncGenerator<ApplyChunk> {
    const { written, signatures } = out;
    // A rename of a file carries its mode in a second operation.
    const renamedFiles = changes.filter(
      (change) => change.kind === 'rename' && change.entry.type === 'file',
    ).length;
    yield { header: { batchId: randomUUID(), operations: changes.length + renamedFiles } };
    const bundle = new BundleBuilder();
    for (const change of changes) {
      const operation: Operation = { path: change.path };
      let payload: Uint8Array = Buffer.alloc(0);
      /** The new content of a write, with its hash. */
      let content: { bytes: Buffer; hash: Buffer } | undefined;
      switch (change.kind) {
        case 'mkdir':
          operation.mkdir = { mode: change.mode };
          break;
        case 'symlink':
          operation.symlink = { target: change.target };
          break;
        case 'chmod':
          operation.chmod = { mode: change.mode };
          break;
        case 'remove':
          operation.remove = {};
          break;
        case 'rename':
          operation.rename = { from: change.from };
          break;
        case 'copy':
          operation.write = {
            encoding: 'CONTENT_ENCODING_COPY',
            source: change.from,
            hash: change.entry.hash,
            size: change.entry.size,
            mode: change.entry.mode,
          };
          break;
        case 'write': {
          // Synchronous: one read per file from the page cache; through the thread pool the chain of
          // 2,003 reads of an initial sync took 1.5 s instead of 0.15 s.
          const bytes = readFileSync(join(this.#options.src, change.path));
          const hash = createHash('sha256').update(bytes).digest();
          written.set(hash.toString('hex'), bytes);
          content = { bytes, hash };
          const remote = change.remote;
          const basisKey = stale.has(change.path)
            ? this.#actualBasis.get(change.path)
            : remote?.type === 'file'
              ? remote.hash.toString('hex')
              : undefined;
          const known =
            basisKey === undefined || basisKey === ''
              ? undefined
              : await this.#options.store.get(basisKey);
          const choice = chooseEncoding(
            bytes,
            known === undefined
              ? {}
              : {
                  signature: known.signature,
                  ...(known.basis === undefined ? {} : { basis: known.basis }),
                },
          );
          payload = choice.payload;
          let compression: 'COMPRESSION_NONE' | 'COMPRESSION_GZIP' = 'COMPRESSION_NONE';
          const uncompressedSize = payload.length;
          if (this.#options.compress && payload.length > 1024 && compressible(payload)) {
            const zipped = gzipSync(payload, { level: 1 });
            if (zipped.length < payload.length) {
              payload = zipped;
              compression = 'COMPRESSION_GZIP';
            }
          }
          operation.write = {
            encoding:
              choice.encoding === 'whole'
                ? 'CONTENT_ENCODING_WHOLE'
                : choice.encoding === 'append'
                  ? 'CONTENT_ENCODING_APPEND'
                  : 'CONTENT_ENCODING_DELTA',
            compression,
            payloadSize: payload.length,
            uncompressedSize,
            ...(choice.encoding === 'whole' ? {} : { basisHash: Buffer.from(choice.basisHash) }),
            hash,
            size: bytes.length,
            mode: change.entry.mode,
          };
          break;
        }
      }
      if (payload.length <= BUNDLE_BYTES) {
        const full = bundle.add(operation, payload);
        if (full !== undefined) yield full;
      } else {
        const pending = bundle.flush();
        if (pending !== undefined) yield pending;
        yield { operation };
        const steps =
          content !== undefined && this.#options.store.wantsSignature(content.bytes.length)
            ? signatureSteps(content.bytes, { basisHash: content.hash }, CHUNK_BYTES)
            : undefined;
        for (let at = 0; at < payload.length; at += CHUNK_BYTES) {
          yield { data: payload.subarray(at, at + CHUNK_BYTES) };
          steps?.next();
        }
        if (content !== undefined && steps !== undefined) {
          let step = steps.next();
          while (step.done !== true) step = steps.next();
          signatures.set(content.hash.toString('hex'), step.value);
        }
      }
      if (change.kind === 'rename' && change.entry.type === 'file') {
        const full = bundle.add(
          { path: change.path, chmod: { mode: change.entry.mode } },
          Buffer.alloc(0),
        );
        if (full !== undefined) yield full;
      }
    }
    const last = bundle.flush();
    if (last !== undefined) yield last;
    yield { end: {} };
  }

  /** Streams `chunks` as one Apply call, writing no faster than the connection takes them. */
  #apply(chunks: AsyncIterable<ApplyChunk>): Promise<ApplyResult__Output> {
    return new Promise((resolve, reject) => {
      const stop = new AbortController();
      const call = this.#options.client.Apply((error, result) => {
        stop.abort();
        if (error !== null || result === undefined) reject(error ?? new Error('no response'));
        else resolve(result);
      });
      const pump = async () => {
        for await (const chunk of chunks) {
          if (stop.signal.aborted) return;
          if (!call.write(chunk)) await once(call, 'drain', { signal: stop.signal });
        }
        call.end();
      };
      pump().catch((error: unknown) => {
        if (stop.signal.aborted) return; // the call has already ended, with its own outcome
        stop.abort();
        call.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }
}

async function rulesOf(options: SyncSessionOptions): Promise<IgnoreRules> {
  const rules = await readIgnoreRules(options.src);
  if (options.extraIgnores.length === 0) return rules;
  return { files: [...rules.files, { directory: '', text: options.extraIgnores.join('\n') }] };
}

/** Remembers where the agent holds each file content it listed (for copies and renames). */
function indexListing(listing: DirectoryListing__Output, index: Map<string, string[]>): void {
  for (const entry of listing.entries) {
    if (entry.type !== 'ENTRY_TYPE_FILE') continue;
    const key = entry.hash.toString('hex');
    const paths = index.get(key) ?? [];
    paths.push(childPath(listing.path, entry.name));
    index.set(key, paths);
  }
}

/** Content hash (hex) → paths, for every file of a snapshot. */
function hashIndex(snapshot: TreeSnapshot): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const { path, entry } of walkTree(snapshot)) {
    if (entry.type !== 'file') continue;
    const key = entry.hash.toString('hex');
    index.set(key, [...(index.get(key) ?? []), path]);
  }
  return index;
}

/** The paths of a FAILED_PRECONDITION basis mismatch, or `undefined` for any other error. */
function mismatchedPaths(error: unknown): string[] | undefined {
  const serviceError = error as Partial<ServiceError>;
  if (
    serviceError.code !== status.FAILED_PRECONDITION ||
    !(serviceError.metadata instanceof Metadata)
  ) {
    return undefined;
  }
  const [value] = serviceError.metadata.get(BASIS_MISMATCH_METADATA);
  if (!Buffer.isBuffer(value)) return undefined;
  const paths: unknown = JSON.parse(value.toString('utf8'));
  return Array.isArray(paths) && paths.every((path) => typeof path === 'string')
    ? paths
    : undefined;
}

const childPath = (directory: string, name: string): string =>
  directory === '' ? name : `${directory}/${name}`;
const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Whether `payload` is worth compressing: a 4 KiB sample from its middle shrinks below 90 % at gzip's
 * fastest level. Random and already-compressed data (images, archives) do not, and are sent as they are
 * without paying for a full compression attempt.
 */
function compressible(payload: Uint8Array): boolean {
  const sampleBytes = 4096;
  if (payload.length <= 2 * sampleBytes) return true;
  const at = (payload.length >> 1) - sampleBytes / 2;
  const sample = payload.subarray(at, at + sampleBytes);
  return deflateRawSync(sample, { level: 1 }).length < sampleBytes * 0.9;
}

/** Collects small operations with their payloads into bundle chunks of about {@link BUNDLE_BYTES}. */
class BundleBuilder {
  #pending: Array<{ operation: Operation; data: Uint8Array }> = [];
  #bytes = 0;

  /** Adds an operation and its whole payload; returns the bundle chunk once it is full. */
  add(operation: Operation, data: Uint8Array): ApplyChunk | undefined {
    this.#pending.push({ operation, data });
    this.#bytes += data.length + (operation.path?.length ?? 0);
    return this.#bytes >= BUNDLE_BYTES ? this.flush() : undefined;
  }

  /** The pending operations as one bundle chunk (before an operation that is not bundled), if any. */
  flush(): ApplyChunk | undefined {
    if (this.#pending.length === 0) return undefined;
    const chunk: ApplyChunk = { bundle: { operations: this.#pending } };
    this.#pending = [];
    this.#bytes = 0;
    return chunk;
  }
}
