/**
 * The schema of `velocity.yaml`: one optional section per tool, every field optional with a documented default.
 *
 * @remarks
 * Objects are `.strict()` so a misspelt key is an error rather than silently ignored. Every field has
 * `.describe()` text, which {@link configJsonSchema} copies into `docs/velocity.schema.json`. Fields that hold
 * credentials are registered in {@link SECRET_SCHEMAS}: their values are redacted when printed and handed to the
 * logger's scrubber.
 *
 * @module
 */
import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../logger/levels.js';

/**
 * Schemas whose values are secrets (tokens, keys, URLs that may embed a password).
 *
 * @privateRemarks
 * A registry of our own rather than `.meta({ secret: true })`: the global registry would copy `secret` into the
 * JSON Schema as a non-standard keyword, while this lets {@link configJsonSchema} emit `writeOnly` instead.
 */
export const SECRET_SCHEMAS = z.registry<{ secret: true }>();

const SECRET_NOTE = 'Secret: shown as [REDACTED] and scrubbed from logs.';

/** Registers `schema` as a secret and describes it, appending the secret note to `description`. */
function secret<T extends z.ZodType>(schema: T, description: string): T {
  const described = schema.describe(`${description} ${SECRET_NOTE}`);
  SECRET_SCHEMAS.add(described, { secret: true });
  return described;
}

const TEST_RUNNERS = ['jest', 'vitest', 'mocha', 'node', 'tap', 'pytest', 'playwright'] as const;
const RELOAD_ACTIONS = ['sync', 'signal', 'restart', 'exec'] as const;
const MERGE_METHODS = ['merge', 'squash', 'rebase', 'fast-forward'] as const;

/** `HOST:PORT` where HOST is a DNS name, an IPv4 address or a bracketed IPv6 address. */
const HOST_PORT_PATTERN =
  /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):\d{1,5}$/;

/** A `HOST:PORT` string whose port is between `minPort` and 65535 (0 lets the OS pick a port to listen on). */
function hostPort(minPort: 0 | 1) {
  return z
    .string()
    .regex(HOST_PORT_PATTERN, {
      error: 'expected HOST:PORT such as "127.0.0.1:7420"',
      abort: true,
    })
    .refine(
      (value) => {
        const port = Number(value.slice(value.lastIndexOf(':') + 1));
        return port >= minPort && port <= 65535;
      },
      { error: `expected a port between ${minPort} and 65535` },
    );
}

/** A `redis://` or `rediss://` URL. */
function redisUrl() {
  return z.string().regex(/^rediss?:\/\/\S+$/, {
    error: 'expected a redis:// or rediss:// URL',
  });
}

/**
 * A section whose default is the section parsed from `{}`, so its fields' own defaults apply when the section
 * is absent (zod 4's `.default()` returns the default without parsing it).
 */
function section<T extends z.ZodObject>(schema: T, description: string) {
  return schema
    .default(() => schema.parse({}) as z.core.util.NoUndefined<z.output<T>>)
    .describe(description);
}

const logSchema = z
  .object({
    level: z
      .enum(LOG_LEVELS)
      .default('info')
      .describe('Least severe level written; "silent" writes nothing.'),
    format: z
      .enum(LOG_FORMATS)
      .default('auto')
      .describe('Log line format; "auto" is "pretty" when stderr is a TTY and "json" otherwise.'),
    secrets: z
      .array(secret(z.string().min(1), 'A string to scrub from log lines.'))
      .default([])
      .describe(
        'Extra strings to scrub from every log line, in addition to the secret fields of this file.',
      ),
  })
  .strict();

const depCiSchema = z
  .object({
    runner: z
      .enum(TEST_RUNNERS)
      .optional()
      .describe('Test runner; detected from the repository when unset.'),
    testGlobs: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "Globs (root-relative, POSIX) matching test files; the runner's own defaults when unset.",
      ),
    runAllOn: z
      .array(z.string().min(1))
      .default([])
      .describe('Globs (root-relative, POSIX); a change to a matching file runs every test.'),
    baseBranch: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Branch that changes are compared against when no base is given; detected (origin/HEAD, main, master) when unset.',
      ),
    roots: z
      .array(z.string().min(1))
      .default(['.'])
      .describe('Directories (root-relative, POSIX) whose files make up the import graph.'),
    ignore: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Globs (root-relative, POSIX) of files left out of the import graph, besides .gitignore.',
      ),
    languages: z
      .object({
        typescript: z.boolean().default(true).describe('Parse .ts, .tsx, .mts and .cts files.'),
        javascript: z.boolean().default(true).describe('Parse .js, .jsx, .mjs and .cjs files.'),
        python: z.boolean().default(true).describe('Parse .py files.'),
      })
      .strict()
      .default({ typescript: true, javascript: true, python: true })
      .describe('Languages to parse; files of a disabled language are leaves.'),
    cacheDir: z
      .string()
      .min(1)
      .default('.velocity/cache')
      .describe(
        'Where the import graph cache lives (root-relative); safe to restore from a CI cache.',
      ),
    ignoreTypeImports: z
      .boolean()
      .default(false)
      .describe('Ignore `import type` edges when finding affected tests.'),
    threads: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Worker threads that parse files, at most; the available parallelism when unset. 1 parses in the main thread.',
      ),
    minThreadJobs: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Files to parse before worker threads are started; 1000 when unset.'),
    aliases: z
      .record(z.string(), z.string().min(1))
      .default({})
      .describe(
        'Module aliases like Jest moduleNameMapper: regular expression matching a specifier → replacement path (root-relative, may use $1).',
      ),
  })
  .strict();

const reloadRuleSchema = z
  .object({
    paths: z
      .array(z.string().min(1))
      .min(1)
      .describe('Globs (root-relative, POSIX) whose changes trigger this rule.'),
    action: z
      .enum(RELOAD_ACTIONS)
      .describe(
        'What the agent does after syncing: "sync" nothing more (the app reloads itself), "signal" sends `signal`, "restart" restarts the supervised app (livepatch-agent --restart -- CMD), "exec" runs `command`.',
      ),
    signal: z
      .string()
      .regex(/^SIG[A-Z0-9]+$/, {
        error: 'expected a signal name such as "SIGHUP"',
      })
      .optional()
      .describe('Signal sent to the process when action is "signal", e.g. "SIGHUP".'),
    pidFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'When action is "signal": file holding the pid to signal (in the container); the supervised app when unset.',
      ),
    command: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe(
        'When action is "exec": the command, as an argument list or a string split at spaces (no shell: the app image needs none), e.g. ["npm", "install"].',
      ),
  })
  .strict()
  .superRefine((rule, ctx) => {
    for (const [field, action] of [
      ['signal', 'signal'],
      ['command', 'exec'],
    ] as const) {
      if (rule.action === action && rule[field] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `required when action is "${action}"`,
        });
      } else if (rule.action !== action && rule[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `only allowed when action is "${action}"`,
        });
      }
    }
    if (rule.pidFile !== undefined && rule.action !== 'signal') {
      ctx.addIssue({
        code: 'custom',
        path: ['pidFile'],
        message: 'only allowed when action is "signal"',
      });
    }
  })
  .describe('A hot reload rule: when a synced file matches `paths`, do `action`.');

const livepatchSchema = z
  .object({
    agent: hostPort(1)
      .optional()
      .describe('Address of the livepatch agent to sync to, as HOST:PORT.'),
    certs: z
      .string()
      .min(1)
      .optional()
      .describe('Directory holding the mTLS CA, certificate and key (as written by `certs init`).'),
    ignore: z
      .array(z.string().min(1))
      .default([])
      .describe('Globs (root-relative, POSIX) never synced, in addition to .gitignore.'),
    reload: z
      .array(reloadRuleSchema)
      .default([])
      .describe('Hot reload rules, tried in order; the first match wins.'),
    listen: hostPort(0)
      .default('127.0.0.1:7420')
      .describe('Address the agent listens on, as HOST:PORT.'),
    durable: z
      .boolean()
      .default(false)
      .describe('fsync every patched file before acknowledging it.'),
    rollbackWindowMs: z
      .number()
      .int()
      .min(0)
      .default(5000)
      .describe(
        'After a restart caused by a batch, an app exit with an error within this many milliseconds rolls the batch back.',
      ),
    stopTimeoutMs: z
      .number()
      .int()
      .min(0)
      .default(10000)
      .describe('How long a restart waits for the app to exit after SIGTERM before SIGKILL, ms.'),
  })
  .strict();

const quantumMergeSchema = z
  .object({
    appId: z.number().int().positive().optional().describe('GitHub App ID.'),
    privateKey: secret(
      z
        .string()
        .regex(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, {
          error: 'expected a PEM private key',
        })
        .optional(),
      'GitHub App private key in PEM format; usually `${file:./app.pem}`.',
    ),
    webhookSecret: secret(
      z.string().min(1).optional(),
      'Secret that GitHub signs webhook deliveries with.',
    ),
    githubToken: secret(
      z.string().min(1).optional(),
      'GitHub token used instead of the App credentials (local runs, `simulate`).',
    ),
    redisUrl: secret(
      redisUrl().default('redis://127.0.0.1:6379'),
      'Redis URL for the BullMQ queues; may contain a password.',
    ),
    requiredChecks: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Check run or status names that must succeed on a speculative build before it merges (the executor github).',
      ),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(4)
      .describe('Speculative builds running at once.'),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(1)
      .describe('Queue entries tested together in one batch; a failed batch is bisected.'),
    mergeMethod: z
      .enum(MERGE_METHODS)
      .default('merge')
      .describe('How a passing entry is merged into the base branch.'),
    label: z
      .string()
      .min(1)
      .default('merge-queue')
      .describe('Pull request label that enqueues the pull request.'),
    buildTimeoutMinutes: z
      .number()
      .int()
      .positive()
      .default(60)
      .describe('Minutes a speculative build may run before it counts as failed.'),
    listen: hostPort(0)
      .default('127.0.0.1:3000')
      .describe('Address the webhook server listens on, as HOST:PORT.'),
    apiUrl: z
      .url({
        protocol: /^https?$/,
        error: 'expected an http(s) URL such as "https://api.github.com"',
      })
      .default('https://api.github.com')
      .describe('GitHub REST API URL; `https://HOST/api/v3` for GitHub Enterprise Server.'),
    apiToken: secret(
      z.string().min(1).optional(),
      "Bearer token required by the server's JSON API (the dashboard sends it); open when unset.",
    ),
    strategy: z
      .enum(['serial', 'speculative', 'batch'])
      .default('speculative')
      .describe(
        'serial: one build at a time; speculative: entry k built on base + entries 1..k; batch: speculative with batches of up to batchSize under backlog.',
      ),
    requiredApprovals: z
      .number()
      .int()
      .min(0)
      .default(1)
      .describe('Approving reviews a pull request needs before it may enter the queue.'),
    pullRequestChecks: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Check run or status names that must succeed on a pull request's head before it may enter the queue.",
      ),
    buildRetries: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(0)
      .describe(
        'Times a failed build at the head of the queue is retried before its entry is rejected (flaky CI).',
      ),
    ciPollSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(300)
      .describe(
        'While speculative builds run, how often their CI checks are read again in case a webhook was lost, in seconds; 0 never.',
      ),
    pendingFailureDepth: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(0)
      .describe(
        'Builds behind a failed entry that keep it while its failure is pending; if one passes, the failure was flaky and it merges.',
      ),
    speculativeCommits: z
      .enum(['api', 'git'])
      .default('api')
      .describe(
        'api: speculative merge commits made through the GitHub API; git: made in a local clone and pushed in one push (fewer API writes; needed for mergeMethod rebase).',
      ),
    executor: z
      .enum(['github', 'local'])
      .default('github')
      .describe(
        "github: the repository's own CI tests speculative refs and reports through check runs or statuses; local: buildCommand runs in a git worktree on this machine.",
      ),
    buildCommand: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Command (argv) the local executor runs in the speculative commit; exit 0 passes.'),
    workDir: z
      .string()
      .min(1)
      .default('.quantum-merge')
      .describe('Directory for the local git clones and build worktrees.'),
    cloneUrl: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Git URL of the repositories for speculativeCommits git and the local executor; `{repo}` is replaced by owner/name. Default: the web host of apiUrl, e.g. https://github.com/{repo}.git.',
      ),
    workerConcurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe('Jobs one worker process handles at once (different queues run in parallel).'),
  })
  .strict();

const dashboardAgentSchema = z
  .object({
    name: z.string().min(1).describe('Name shown in the dashboard.'),
    address: hostPort(1).describe('Address of the agent, as HOST:PORT.'),
    certs: z
      .string()
      .min(1)
      .describe(
        'Directory holding the mTLS CA, client certificate and key for this agent (ca.pem, client.pem, client-key.pem, as `livepatch certs` writes them); relative to the config file, or to the working directory when set by a variable.',
      ),
  })
  .strict()
  .describe('A livepatch agent whose status the dashboard shows.');

const dashboardSchema = z
  .object({
    listen: hostPort(0)
      .default('127.0.0.1:3100')
      .describe('Address the dashboard listens on, as HOST:PORT.'),
    token: secret(
      z.string().min(1).optional(),
      'Bearer token required by the dashboard; open when unset.',
    ),
    agents: z.array(dashboardAgentSchema).default([]).describe('Livepatch agents to show.'),
    redisUrl: secret(
      redisUrl().default('redis://127.0.0.1:6379'),
      'Redis URL whose health the overview page shows (the one Quantum Merge uses); may contain a password.',
    ),
    quantumMergeUrl: z
      .url({
        protocol: /^https?$/,
        error: 'expected an http(s) URL such as "http://127.0.0.1:3000"',
      })
      .default('http://127.0.0.1:3000')
      .describe(
        'Base URL of the `quantum-merge serve` JSON API the merge queue pages read; sent quantumMerge.apiToken when set.',
      ),
    repositories: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Repository directories on the server the import graph page may load (dep-ci graph runs there); relative paths start at the working directory.',
      ),
    depCiPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        'dep-ci executable the import graph page runs. Default: the workspace build (packages/dep-ci/dist/bin/dep-ci), else dep-ci on PATH.',
      ),
  })
  .strict();

/** The schema of `velocity.yaml` (input: what a user writes; output: {@link VelocityConfig}). */
export const velocityConfigSchema = z
  .object({
    depCi: section(depCiSchema, 'dep-ci: run only the tests a change affects.'),
    livepatch: section(
      livepatchSchema,
      'LivePatch: sync files into running containers over mTLS gRPC.',
    ),
    quantumMerge: section(quantumMergeSchema, 'Quantum Merge: the merge queue GitHub App.'),
    dashboard: section(dashboardSchema, 'The Velocity dashboard.'),
    log: section(logSchema, 'Logging shared by every Velocity tool.'),
  })
  .strict();

/** The resolved configuration: every section present, every field with a default filled in. */
export type VelocityConfig = z.output<typeof velocityConfigSchema>;
