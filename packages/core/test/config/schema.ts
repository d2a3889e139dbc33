import t from 'tap';
import { velocityConfigSchema } from '../../src/config/schema.js';
import type { VelocityConfig } from '../../src/config/schema.js';

t.test('an empty file gets every documented default', async (t) => {
  const config: VelocityConfig = velocityConfigSchema.parse({});
  t.strictSame(config, {
    depCi: {
      runAllOn: [],
      roots: ['.'],
      ignore: [],
      languages: { typescript: true, javascript: true, python: true },
      cacheDir: '.velocity/cache',
      ignoreTypeImports: false,
      aliases: {},
    },
    livepatch: {
      ignore: [],
      reload: [],
      listen: '127.0.0.1:7420',
      durable: false,
      rollbackWindowMs: 5000,
      stopTimeoutMs: 10000,
    },
    quantumMerge: {
      redisUrl: 'redis://127.0.0.1:6379',
      requiredChecks: [],
      concurrency: 4,
      batchSize: 1,
      mergeMethod: 'merge',
      label: 'merge-queue',
      buildTimeoutMinutes: 60,
      listen: '127.0.0.1:3000',
      apiUrl: 'https://api.github.com',
      strategy: 'speculative',
      requiredApprovals: 1,
      pullRequestChecks: [],
      buildRetries: 0,
      ciPollSeconds: 300,
      pendingFailureDepth: 0,
      speculativeCommits: 'api',
      executor: 'github',
      workDir: '.quantum-merge',
      workerConcurrency: 4,
    },
    dashboard: {
      listen: '127.0.0.1:3100',
      agents: [],
      redisUrl: 'redis://127.0.0.1:6379',
      quantumMergeUrl: 'http://127.0.0.1:3000',
      repositories: [],
    },
    log: { level: 'info', format: 'auto', secrets: [] },
  });
  t.not(
    velocityConfigSchema.parse({}).depCi.runAllOn,
    config.depCi.runAllOn,
    'defaults are fresh objects',
  );
});

t.test('a full config is accepted', async (t) => {
  const input = {
    depCi: {
      runner: 'vitest',
      testGlobs: ['test/**/*.ts'],
      runAllOn: ['package-lock.json'],
      baseBranch: 'develop',
      roots: ['packages'],
      ignore: ['**/generated/**'],
      languages: { typescript: true, javascript: false, python: true },
      cacheDir: '.cache/dep-ci',
      ignoreTypeImports: true,
      threads: 2,
      minThreadJobs: 500,
      aliases: { '^@/(.*)$': 'src/$1' },
    },
    livepatch: {
      agent: '[::1]:7421',
      certs: '.velocity/certs',
      ignore: ['*.log'],
      reload: [
        { paths: ['src/**'], action: 'restart' },
        { paths: ['nginx.conf'], action: 'signal', signal: 'SIGHUP', pidFile: '/run/nginx.pid' },
        { paths: ['package.json'], action: 'exec', command: ['npm', 'ci'] },
        { paths: ['Gemfile'], action: 'exec', command: 'bundle install' },
      ],
      listen: '0.0.0.0:0',
      durable: true,
      rollbackWindowMs: 3000,
      stopTimeoutMs: 2000,
    },
    quantumMerge: {
      appId: 1234,
      privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      webhookSecret: 'whsec',
      githubToken: 'ghp_x',
      redisUrl: 'rediss://:pw@redis.internal:6380/1',
      requiredChecks: ['build', 'test'],
      concurrency: 100,
      batchSize: 8,
      mergeMethod: 'fast-forward',
      label: 'queue',
      buildTimeoutMinutes: 30,
      listen: 'localhost:8080',
      apiUrl: 'https://ghe.example.com/api/v3',
      apiToken: 'api-t',
      strategy: 'batch',
      requiredApprovals: 2,
      pullRequestChecks: ['lint'],
      buildRetries: 1,
      ciPollSeconds: 60,
      pendingFailureDepth: 2,
      speculativeCommits: 'git',
      executor: 'local',
      buildCommand: ['npm', 'test'],
      workDir: '/var/lib/quantum-merge',
      cloneUrl: 'https://ghe.example.com/{repo}.git',
      workerConcurrency: 8,
    },
    dashboard: {
      listen: '127.0.0.1:3100',
      token: 't',
      agents: [{ name: 'prod', address: 'agent.prod:7421', certs: 'certs/prod' }],
      redisUrl: 'redis://redis:6379',
      quantumMergeUrl: 'http://quantum-merge:3000',
      repositories: ['/srv/repo'],
      depCiPath: '/usr/local/bin/dep-ci',
    },
    log: { level: 'trace', format: 'pretty', secrets: ['s'] },
  };
  t.strictSame(velocityConfigSchema.parse(input), input);
});

t.test('addresses are HOST:PORT with a port in range', async (t) => {
  const agent = (value: string) =>
    velocityConfigSchema.safeParse({ livepatch: { agent: value } }).success;
  const listen = (value: string) =>
    velocityConfigSchema.safeParse({ livepatch: { listen: value } }).success;
  for (const ok of ['host:1', '10.0.0.1:65535', '[fe80::1]:80', 'a-b.example.com:443'])
    t.ok(agent(ok), ok);
  for (const bad of [
    'host',
    ':80',
    'host:0',
    'host:65536',
    'http://host:80',
    '-host:80',
    'host:80/x',
  ]) {
    t.notOk(agent(bad), bad);
  }
  t.ok(listen('127.0.0.1:0'), 'listen may use port 0');
});

t.test('unknown keys are rejected at every level', async (t) => {
  for (const input of [
    { extra: 1 },
    { log: { colour: true } },
    { livepatch: { reload: [{ paths: ['a'], action: 'sync', when: 'x' }] } },
    {
      dashboard: {
        agents: [{ name: 'a', address: 'a:1', certs: 'c', tls: true }],
      },
    },
  ]) {
    const result = velocityConfigSchema.safeParse(input);
    t.equal(result.error?.issues[0]?.code, 'unrecognized_keys', JSON.stringify(input));
  }
});
