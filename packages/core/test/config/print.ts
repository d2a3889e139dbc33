import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import type { LoadConfigResult } from '../../src/config/load.js';
import { formatConfig } from '../../src/config/print.js';

/** A config with values from every source, secrets among them. */
async function loadExample(t: {
  testdir: (files: Record<string, string>) => string;
}): Promise<LoadConfigResult> {
  const cwd = t.testdir({
    'velocity.yaml': [
      'quantumMerge:',
      '  githubToken: ghp_abcdef',
      '  requiredChecks: [build]',
      '  label: queue-s3cr3t-value',
      'livepatch:',
      '  certs: ${file:certs.txt}',
      'log:',
      '  level: warn',
      '  secrets: [s3cr3t-value]',
      '',
    ].join('\n'),
    'certs.txt': '/run/certs\n',
  });
  return loadConfig({
    cwd,
    env: { VELOCITY_LOG_FORMAT: 'json' },
    flags: { 'depCi.runner': 'vitest' },
  });
}

t.test('sources: one aligned line per set leaf, secrets redacted', async (t) => {
  const loaded = await loadExample(t);
  t.equal(
    formatConfig(loaded, { sources: true, format: 'yaml' }),
    `depCi.runner                     = "vitest"                  # flag --set depCi.runner
depCi.runAllOn                   = []                        # default
depCi.roots                      = ["."]                     # default
depCi.ignore                     = []                        # default
depCi.languages.typescript       = true                      # default
depCi.languages.javascript       = true                      # default
depCi.languages.python           = true                      # default
depCi.cacheDir                   = ".velocity/cache"         # default
depCi.ignoreTypeImports          = false                     # default
depCi.aliases                    = {}                        # default
livepatch.certs                  = "[REDACTED]"              # velocity.yaml:6:10
livepatch.ignore                 = []                        # default
livepatch.reload                 = []                        # default
livepatch.listen                 = "127.0.0.1:7420"          # default
livepatch.durable                = false                     # default
livepatch.rollbackWindowMs       = 5000                      # default
livepatch.stopTimeoutMs          = 10000                     # default
quantumMerge.githubToken         = "[REDACTED]"              # velocity.yaml:2:16
quantumMerge.redisUrl            = "[REDACTED]"              # default
quantumMerge.requiredChecks      = ["build"]                 # velocity.yaml:3:19
quantumMerge.concurrency         = 4                         # default
quantumMerge.batchSize           = 1                         # default
quantumMerge.mergeMethod         = "merge"                   # default
quantumMerge.label               = "[REDACTED]"              # velocity.yaml:4:10
quantumMerge.buildTimeoutMinutes = 60                        # default
quantumMerge.listen              = "127.0.0.1:3000"          # default
quantumMerge.apiUrl              = "https://api.github.com"  # default
quantumMerge.strategy            = "speculative"             # default
quantumMerge.requiredApprovals   = 1                         # default
quantumMerge.pullRequestChecks   = []                        # default
quantumMerge.buildRetries        = 0                         # default
quantumMerge.ciPollSeconds       = 300                       # default
quantumMerge.pendingFailureDepth = 0                         # default
quantumMerge.speculativeCommits  = "api"                     # default
quantumMerge.executor            = "github"                  # default
quantumMerge.workDir             = ".quantum-merge"          # default
quantumMerge.workerConcurrency   = 4                         # default
dashboard.listen                 = "127.0.0.1:3100"          # default
dashboard.agents                 = []                        # default
dashboard.redisUrl               = "[REDACTED]"              # default
dashboard.quantumMergeUrl        = "http://127.0.0.1:3000"   # default
dashboard.repositories           = []                        # default
log.level                        = "warn"                    # velocity.yaml:8:10
log.format                       = "json"                    # env VELOCITY_LOG_FORMAT
log.secrets                      = ["[REDACTED]"]            # velocity.yaml:9:12
`,
  );
});

t.test('yaml: the resolved document, secrets redacted', async (t) => {
  const loaded = await loadExample(t);
  t.equal(
    formatConfig(loaded, { sources: false, format: 'yaml' }),
    `depCi:
  runner: vitest
  runAllOn: []
  roots:
    - .
  ignore: []
  languages:
    typescript: true
    javascript: true
    python: true
  cacheDir: .velocity/cache
  ignoreTypeImports: false
  aliases: {}
livepatch:
  certs: "[REDACTED]"
  ignore: []
  reload: []
  listen: 127.0.0.1:7420
  durable: false
  rollbackWindowMs: 5000
  stopTimeoutMs: 10000
quantumMerge:
  githubToken: "[REDACTED]"
  redisUrl: "[REDACTED]"
  requiredChecks:
    - build
  concurrency: 4
  batchSize: 1
  mergeMethod: merge
  label: "[REDACTED]"
  buildTimeoutMinutes: 60
  listen: 127.0.0.1:3000
  apiUrl: https://api.github.com
  strategy: speculative
  requiredApprovals: 1
  pullRequestChecks: []
  buildRetries: 0
  ciPollSeconds: 300
  pendingFailureDepth: 0
  speculativeCommits: api
  executor: github
  workDir: .quantum-merge
  workerConcurrency: 4
dashboard:
  listen: 127.0.0.1:3100
  agents: []
  redisUrl: "[REDACTED]"
  quantumMergeUrl: http://127.0.0.1:3000
  repositories: []
log:
  level: warn
  format: json
  secrets:
    - "[REDACTED]"
`,
  );
});

t.test('json: the same document, pretty-printed with a trailing newline', async (t) => {
  const loaded = await loadExample(t);
  const text = formatConfig(loaded, { sources: false, format: 'json' });
  t.ok(text.endsWith('}\n'));
  t.match(text, /^\{\n {2}"depCi": \{\n {4}"runner": "vitest",/);
  const printed = JSON.parse(text) as Record<string, Record<string, unknown>>;
  t.strictSame(printed['log'], {
    level: 'warn',
    format: 'json',
    secrets: ['[REDACTED]'],
  });
  t.equal(printed['quantumMerge']?.['githubToken'], '[REDACTED]');
  t.equal(printed['quantumMerge']?.['concurrency'], 4);
  for (const secret of ['ghp_abcdef', 's3cr3t-value', '/run/certs']) t.notMatch(text, secret);
});
