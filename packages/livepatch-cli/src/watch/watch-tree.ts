import { relative, sep } from 'node:path';
import { watch } from 'chokidar';

/** A running watch. */
export interface WatchHandle {
  /** Stops watching; pending batches are dropped. */
  close(): Promise<void>;
}

/** chokidar's per-path throttle of 'change' events, in ms (`FSWatcher._emit`). */
const CHOKIDAR_THROTTLE_MS = 50;

/** Options of {@link watchTree}. */
export interface WatchTreeOptions {
  /** Receives the root-relative POSIX paths that changed, once per quiet period. */
  onBatch: (paths: string[]) => void;
  onError: (error: unknown) => void;
  /**
   * Events are coalesced until this many ms pass without one (an editor's save-via-rename, a `git checkout`
   * touching many files), bounded by `maxDelayMs`. @defaultValue 12
   */
  quietMs?: number;
  /** Longest wait after the first event of a batch, in ms. @defaultValue 50 */
  maxDelayMs?: number;
}

/**
 * Watches `root` (chokidar: inotify on Linux, FSEvents on macOS) and reports changed paths in coalesced
 * batches. Symbolic links are reported, never followed; `.git` and `node_modules` are not watched (the
 * session's ignore rules still decide what is synced).
 *
 * @returns the watch, once chokidar's initial scan is done; `close()` it to stop
 */
export async function watchTree(root: string, options: WatchTreeOptions): Promise<WatchHandle> {
  const quietMs = options.quietMs ?? 12;
  const maxDelayMs = options.maxDelayMs ?? 50;
  let batch = new Set<string>();
  let quiet: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(quiet);
    clearTimeout(deadline);
    quiet = undefined;
    deadline = undefined;
    const paths = [...batch];
    batch = new Set();
    if (paths.length > 0) options.onBatch(paths);
  };
  const watcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (path) => /(^|[/\\])(\.git|node_modules)([/\\]|$)/.test(relative(root, path)),
  });
  const rechecks = new Map<string, NodeJS.Timeout>();
  const report = (relativePath: string) => {
    batch.add(relativePath);
    clearTimeout(quiet);
    quiet = setTimeout(flush, quietMs);
    deadline ??= setTimeout(flush, maxDelayMs);
  };
  watcher.on('all', (event, path) => {
    const relativePath = relative(root, path).split(sep).join('/');
    report(relativePath);
    if (event !== 'change') return;
    // chokidar drops a second 'change' of a path within 50 ms of the first (its per-path throttle), so
    // the path is looked at again once that window has passed; an unchanged file then costs one stat.
    clearTimeout(rechecks.get(relativePath));
    rechecks.set(
      relativePath,
      setTimeout(() => {
        rechecks.delete(relativePath);
        report(relativePath);
      }, CHOKIDAR_THROTTLE_MS + 5),
    );
  });

  watcher.on('error', options.onError);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    close: async () => {
      for (const timer of rechecks.values()) clearTimeout(timer);
      clearTimeout(quiet);
      clearTimeout(deadline);
      await watcher.close();
    },
  };
}
