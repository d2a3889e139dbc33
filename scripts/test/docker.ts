/**
 * docker/: the images and the Compose file, checked without a Docker engine. Every Dockerfile lints clean,
 * runs as a numeric non-root user and starts the same executable (or start script) the tests run; compose.yaml
 * validates against the Compose Specification and wires the services as docs/docker.md describes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import t, { type Test } from 'tap';
import { parse } from 'yaml';
import {
  describeImage,
  lintCompose,
  lintDockerfile,
  type LintFinding,
} from './helpers/docker-lint.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DOCKER = join(ROOT, 'docker');
const COMPOSE = join(DOCKER, 'compose.yaml');

/** A single-executable image: the workspace that builds it and the executable's name (`dist/bin/<bin>`). */
interface SeaImage {
  kind: 'sea';
  workspace: string;
  bin: string;
}

/** The dashboard image: the workspace whose `start` script it runs, with the executables it also carries. */
interface StartScriptImage {
  kind: 'start-script';
  workspace: string;
  /** Where the workspace's files are in the image (the build's WORKDIR). */
  root: string;
  executables: Array<{ workspace: string; bin: string }>;
}

/** Every image in docker/, and what it must run. */
const IMAGES: Record<string, SeaImage | StartScriptImage> = {
  'livepatch-agent.Dockerfile': {
    kind: 'sea',
    workspace: 'livepatch-agent',
    bin: 'livepatch-agent',
  },
  'quantum-merge.Dockerfile': { kind: 'sea', workspace: 'quantum-merge', bin: 'quantum-merge' },
  'dashboard.Dockerfile': {
    kind: 'start-script',
    workspace: 'dashboard',
    root: '/app',
    executables: [{ workspace: 'dep-ci', bin: 'dep-ci' }],
  },
};

const dockerfiles = readdirSync(DOCKER)
  .filter((name) => name.endsWith('.Dockerfile'))
  .sort();

function readDockerfile(name: string): string {
  return readFileSync(join(DOCKER, name), 'utf8');
}

function format(file: string, findings: LintFinding[]): string {
  return findings.map((f) => `${file}:${f.line}: ${f.message} [${f.rule}]`).join('\n');
}

interface PackageJson {
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
}

function packageJson(workspace: string): PackageJson {
  const path = join(ROOT, 'packages', workspace, 'package.json');
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

/** `workspace` and the workspaces it needs at run time (`dependencies`, transitively), sorted. */
function runtimeWorkspaces(workspace: string): string[] {
  const found = new Set<string>();
  const visit = (name: string) => {
    if (found.has(name)) return;
    found.add(name);
    for (const dependency of Object.keys(packageJson(name).dependencies ?? {})) {
      const match = /^@velocity\/(.+)$/.exec(dependency);
      if (match?.[1] !== undefined) visit(match[1]);
    }
  };
  visit(workspace);
  return [...found].sort();
}

/**
 * Checks that the final stage copies `packages/<workspace>/dist/bin/<bin>` out of a build stage that ran the
 * workspace's build script, which writes the single executable there (`bundle.mjs bin/<bin>.cjs --sea`): the
 * file the package's tests run after `npm run build`.
 *
 * @returns the path the executable has in the image
 */
function checkExecutable(
  t: Test,
  name: string,
  workspace: string,
  bin: string,
): string | undefined {
  const image = describeImage(readDockerfile(name));
  const pkg = packageJson(workspace);
  t.ok(pkg.bin?.[bin], `packages/${workspace} declares the binary "${bin}"`);
  t.match(
    pkg.scripts?.['build'],
    new RegExp(`bundle\\.mjs bin/${bin}\\.cjs --sea`),
    `its build script writes dist/bin/${bin}`,
  );
  t.ok(
    image.runs.some((run) => run.includes(`npm run build --workspace @velocity/${workspace}`)),
    `the build stage runs @velocity/${workspace}'s build script`,
  );
  const built = `packages/${workspace}/dist/bin/${bin}`;
  const copy = image.copies.find(
    (c) => c.from !== undefined && c.sources.length === 1 && c.sources[0]?.endsWith(`/${built}`),
  );
  t.ok(copy, `the final stage copies ${built} from the build stage`);
  return copy?.destination;
}

t.test('every Dockerfile in docker/ is listed here with what it runs', async (t) => {
  t.strictSame(dockerfiles, Object.keys(IMAGES).sort());
});

t.test('every Dockerfile lints clean', async (t) => {
  for (const name of dockerfiles) {
    const findings = lintDockerfile(readDockerfile(name));
    t.strictSame(findings, [], `${name}\n${format(`docker/${name}`, findings)}`);
  }
});

t.test('every image runs as a numeric non-root user', async (t) => {
  for (const name of dockerfiles) {
    t.match(describeImage(readDockerfile(name)).user, /^[1-9]\d*:\d+$/, name);
  }
});

t.test('every image has OCI labels, and a HEALTHCHECK or a comment saying why not', async (t) => {
  for (const name of dockerfiles) {
    const image = describeImage(readDockerfile(name));
    t.ok(image.labels['org.opencontainers.image.title'], `${name}: title`);
    t.ok(image.labels['org.opencontainers.image.description'], `${name}: description`);
    t.ok(
      image.healthcheck || image.comments.some((c) => c.startsWith('No HEALTHCHECK:')),
      `${name}: HEALTHCHECK or "# No HEALTHCHECK: <reason>"`,
    );
  }
});

t.test('each single-executable image runs the executable the tests run', async (t) => {
  for (const [name, spec] of Object.entries(IMAGES)) {
    if (spec.kind !== 'sea') continue;
    t.test(name, async (t) => {
      const path = checkExecutable(t, name, spec.workspace, spec.bin);
      t.equal(describeImage(readDockerfile(name)).entrypoint?.[0], path, 'ENTRYPOINT is that file');
    });
  }
});

t.test(
  "the dashboard image runs the package's start script with the dep-ci executable",
  async (t) => {
    const name = 'dashboard.Dockerfile';
    const spec = IMAGES[name];
    if (spec?.kind !== 'start-script') throw new Error(`${name} is not a start-script image`);
    const image = describeImage(readDockerfile(name));
    const start = packageJson(spec.workspace).scripts?.['start'] ?? '';
    const script = /^tsx (\S+)$/.exec(start)?.[1];
    t.ok(script, `the start script is "tsx <file>" (got "${start}")`);
    // What tsx's CLI does, without its relaying parent process; the e2e tests start it the same way.
    t.strictSame(image.entrypoint, ['node', '--import', 'tsx', script]);
    t.equal(
      image.workdir,
      `${spec.root}/packages/${spec.workspace}`,
      'runs in the package directory',
    );
    t.ok(
      image.copies.some(
        (c) => c.from === undefined && c.sources.includes(`packages/${spec.workspace}/bin`),
      ),
      'the start script is copied from the repository',
    );
    t.ok(
      image.copies.some((c) => c.from !== undefined && c.destination.endsWith('/.next')),
      'the built .next directory is copied from the build stage',
    );
    // The production install sees exactly the workspaces the dashboard runs with, whose sources it gets.
    const workspaces = runtimeWorkspaces(spec.workspace);
    t.strictSame(
      describeImage(readDockerfile(name), 'deps')
        .copies.flatMap((c) => c.sources)
        .filter((source) => source.startsWith('packages/'))
        .sort(),
      workspaces.map((workspace) => `packages/${workspace}/package.json`),
      `the deps stage installs for ${workspaces.join(', ')}`,
    );
    for (const workspace of workspaces) {
      t.ok(
        image.copies.some(
          (c) => c.from === undefined && c.sources.includes(`packages/${workspace}/src`),
        ),
        `the sources of ${workspace} are copied`,
      );
    }
    for (const { workspace, bin } of spec.executables) {
      const path = checkExecutable(t, name, workspace, bin);
      t.equal(path, `packages/${workspace}/dist/bin/${bin}`, `${bin} keeps its workspace path`);
    }
    t.equal(
      image.env['VELOCITY_DASHBOARD_DEP_CI_PATH'],
      `${spec.root}/packages/dep-ci/dist/bin/dep-ci`,
    );
  },
);

t.test('the servers listen on every interface inside their containers', async (t) => {
  t.equal(
    describeImage(readDockerfile('quantum-merge.Dockerfile')).env['VELOCITY_QUANTUM_MERGE_LISTEN'],
    '0.0.0.0:3000',
  );
  t.equal(
    describeImage(readDockerfile('dashboard.Dockerfile')).env['VELOCITY_DASHBOARD_LISTEN'],
    '0.0.0.0:3100',
  );
});

t.test('the Dockerfile linter reports what it is meant to catch', async (t) => {
  const findings = lintDockerfile(
    [
      'from node AS build',
      'RUN cd /src && sudo make',
      'FROM alpine:latest',
      'ADD app.tar /app',
      'RUN apt-get update && apt-get install -y git',
      '# hadolint ignore=DL3015,DL3009',
      'RUN apt-get install -y curl',
      'EXPOSE http',
      'HEALTHCHECK --interval=5 CMD ["true"]',
      'USER app',
      'ENTRYPOINT /app/server',
      '',
    ].join('\n'),
  );
  t.strictSame(
    findings.map((f) => `${f.line} ${f.rule}`),
    [
      '1 dockerfile-utils:CASING_INSTRUCTION',
      '1 DL3006',
      '2 DL3003',
      '2 DL3004',
      '3 DL3007',
      '4 DL3020',
      '5 DL3015',
      '5 DL3009',
      '8 dockerfile-utils:INVALID_PORT',
      '9 dockerfile-utils:FLAG_MISSING_DURATION',
      '10 DL3002',
      '11 DL3025',
    ],
    format('bad.Dockerfile', findings),
  );
});

t.test('a final stage without USER or with root is reported', async (t) => {
  t.strictSame(
    lintDockerfile('FROM node:20-bookworm-slim AS b\nFROM gcr.io/distroless/cc-debian12:nonroot\n'),
    [
      {
        line: 2,
        rule: 'DL3002',
        message: 'The final stage has no USER, so it runs as root. Add USER uid:gid.',
      },
    ],
  );
  t.match(lintDockerfile('FROM node:20-bookworm-slim\nUSER 0:0\n'), [
    { line: 2, rule: 'DL3002', message: /root/ },
  ]);
  t.strictSame(lintDockerfile('FROM node:20-bookworm-slim\nUSER 0\nRUN true\nUSER 1000:1000\n'), [
    { line: 2, rule: 'DL3002', message: 'USER is root. Run as a non-root uid.' },
  ]);
});

t.test('compose.yaml validates against the Compose Specification and passes dclint', async (t) => {
  const findings = lintCompose(COMPOSE);
  t.strictSame(findings, [], format('docker/compose.yaml', findings));
});

t.test('the Compose linter reports schema errors and ports bound to every interface', async (t) => {
  const dir = t.testdir({
    'schema.yaml': 'name: x\nservices:\n  web:\n    image: nginx:1.27\n    restrat: always\n',
    'ports.yaml':
      "name: x\nservices:\n  web:\n    image: nginx:1.27\n    ports:\n      - '8080:80'\n",
  });
  t.match(lintCompose(join(dir, 'schema.yaml')), [
    { rule: 'dclint:invalid-schema', message: /additional properties|restrat/i },
  ]);
  t.match(lintCompose(join(dir, 'ports.yaml')), [
    { line: 5, rule: 'dclint:no-unbound-port-interfaces' },
  ]);
});

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
}

const compose = parse(readFileSync(COMPOSE, 'utf8')) as ComposeFile;

t.test(
  'compose.yaml runs Redis, the Quantum Merge server and worker, and the dashboard',
  async (t) => {
    const { services } = compose;
    t.strictSame(Object.keys(services).sort(), [
      'dashboard',
      'quantum-merge',
      'quantum-merge-worker',
      'redis',
    ]);
    t.match(services['redis']?.image, /^redis:7-alpine$/);
    t.strictSame(services['quantum-merge']?.command, ['serve', '--no-worker']);
    t.strictSame(services['quantum-merge-worker']?.command, ['worker']);
    t.type(services['quantum-merge-worker']?.deploy?.replicas, 'number');
    t.equal(services['quantum-merge']?.image, services['quantum-merge-worker']?.image, 'one image');
    for (const [name, service] of Object.entries(services)) {
      if (service.build === undefined) continue;
      const dockerfile = resolve(DOCKER, service.build.context, service.build.dockerfile);
      t.ok(existsSync(dockerfile), `${name} builds from an existing Dockerfile`);
      t.equal(dirname(dockerfile), DOCKER, `${name} builds from docker/`);
      t.equal(
        resolve(DOCKER, service.build.context),
        ROOT,
        `${name} sends the repository as context`,
      );
    }
    t.equal(
      services['quantum-merge']?.build?.dockerfile,
      services['quantum-merge-worker']?.build?.dockerfile,
    );
  },
);

t.test('compose.yaml publishes ports on 127.0.0.1 only', async (t) => {
  t.strictSame(compose.services['dashboard']?.ports, ['127.0.0.1:3100:3100']);
  for (const [name, service] of Object.entries(compose.services)) {
    for (const port of service.ports ?? []) t.match(port, /^127\.0\.0\.1:/, `${name}: ${port}`);
  }
});

t.test('compose.yaml starts services once what they need is ready', async (t) => {
  t.ok(compose.services['redis']?.healthcheck, 'redis has a healthcheck');
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      const healthy = compose.services[dependency]?.healthcheck !== undefined;
      t.equal(
        condition,
        healthy ? 'service_healthy' : 'service_started',
        `${name} waits for ${dependency}`,
      );
    }
  }
  t.ok(compose.services['dashboard']?.depends_on?.['quantum-merge'], 'the dashboard needs the API');
});

t.test('compose.yaml passes secrets as files, never as values', async (t) => {
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [variable, value] of Object.entries(service.environment ?? {})) {
      if (/REDIS_URL$/.test(variable))
        t.notMatch(value, /@/, `${name}: ${variable} has no password`);
      if (!/TOKEN|SECRET|PRIVATE_KEY|PASSWORD/.test(variable)) continue;
      // Compose turns `$${` into a literal `${`, which the Velocity config reads as a file reference.
      const secret = /^\$\$\{file:\/run\/secrets\/([\w.-]+)\}$/.exec(value)?.[1];
      t.ok(secret, `${name}: ${variable} is a \${file:/run/secrets/...} reference`);
      if (secret === undefined) continue;
      t.ok(service.secrets?.includes(secret), `${name} mounts the secret "${secret}"`);
      t.equal(compose.secrets[secret]?.file, `./secrets/${secret}`, `"${secret}" is a local file`);
    }
  }
  const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
  const gitignore = readFileSync(join(DOCKER, '.gitignore'), 'utf8').split('\n');
  t.ok(dockerignore.includes('docker/secrets'), '.dockerignore keeps them out of build contexts');
  t.ok(dockerignore.includes('docker/velocity.env'));
  t.ok(gitignore.includes('/secrets/'), 'docker/.gitignore keeps them out of git');
  t.ok(gitignore.includes('/velocity.env'));
  t.ok(existsSync(join(DOCKER, 'velocity.env.example')), 'velocity.env has an example');
});
