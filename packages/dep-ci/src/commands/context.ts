import type { CliIo, LoadedConfig, Logger } from '@velocity/core';
import { UsageError } from '@velocity/core';
import pkg from '../../package.json' with { type: 'json' };
import { findRepositoryRoot } from '../git/index.js';
import { grammarSource } from '../grammar-assets.js';
import { createParseFiles } from '../parsers/index.js';
import { defaultWorkerSource } from '../default-worker-source.js';
import { allRunnerTestGlobs } from '../test-globs.js';
import { selectTests, type ChangeSource, type SelectionWithGraph } from '../select-tests.js';

/** What every dep-ci command works with. */
export interface CommandContext {
  io: CliIo;
  logger: Logger;
  config: LoadedConfig['config'];
  /** Absolute repository root. */
  root: string;
  /** The change named by `--changed`, or the git range of `--base`/`--head`. */
  change: ChangeSource;
  /** Builds the graph and selects the tests, with the given test globs, for `change` (default: the CLI's). */
  select(testGlobs: readonly string[], change?: ChangeSource): Promise<SelectionWithGraph>;
  /** Test globs from config, or `fallback` (a runner's defaults). */
  testGlobs(fallback?: readonly string[]): readonly string[];
}

/** Options of {@link createContext}. */
export interface CreateContextOptions {
  io: CliIo;
  loaded: LoadedConfig;
  logger: Logger;
  /** Parsed command-line options (`base`, `head`, `changed`, `includeUncommitted`). */
  options: Record<string, unknown>;
}

/**
 * Finds the repository, reads the change options, and prepares test selection.
 *
 * @throws {@link UsageError} when `--changed` is combined with `--base`/`--head`
 */
export async function createContext(options: CreateContextOptions): Promise<CommandContext> {
  const { io, loaded, logger } = options;
  const root = await findRepositoryRoot(io.cwd, { env: io.env });
  const change = changeSource(options.options);
  const config = loaded.config;
  // One per context: the in-thread parser is shared by every selection.
  const parseFiles = createParseFiles({
    root,
    grammars: grammarSource,
    logger,
    workerSource: defaultWorkerSource(),
    ...(config.depCi.threads === undefined ? {} : { threads: config.depCi.threads }),
    ...(config.depCi.minThreadJobs === undefined
      ? {}
      : { minJobsForThreads: config.depCi.minThreadJobs }),
  });
  return {
    io,
    logger,
    config,
    root,
    change,
    testGlobs: (fallback) => config.depCi.testGlobs ?? fallback ?? allRunnerTestGlobs(),
    select: async (testGlobs, override = change) =>
      selectTests({
        root,
        config: config.depCi,
        change: override,
        testGlobs,
        parseFiles,
        parserVersion: pkg.version,
        env: io.env,
        logger,
      }),
  };
}

function changeSource(options: Record<string, unknown>): ChangeSource {
  const changed = options['changed'];
  const base = options['base'];
  const head = options['head'];
  if (changed !== undefined) {
    if (base !== undefined || head !== undefined) {
      throw new UsageError(
        '--changed lists the changes itself: drop --base and --head, or --changed.',
      );
    }
    const files = (Array.isArray(changed) ? changed : [changed]).map((file) =>
      String(file).replace(/\\/g, '/').replace(/^\.\//, ''),
    );
    return { kind: 'files', files };
  }
  return {
    kind: 'git',
    ...(typeof base === 'string' || typeof base === 'number' ? { base: String(base) } : {}),
    ...(typeof head === 'string' || typeof head === 'number' ? { head: String(head) } : {}),
    includeUncommitted: options['includeUncommitted'] === true,
  };
}

/** Calls `create` once, on first use, and returns the same promise after. */
