/**
 * Lints the repository's Dockerfiles and Compose file without a Docker engine, and reads what an image runs.
 *
 * - Dockerfiles: `dockerfile-utils` (rcjsuen's validator behind the VS Code Docker language server: the
 *   builder's own parse and argument errors), plus {@link HOUSE_RULES}, a few of hadolint's best-practice
 *   rules re-implemented on `dockerfile-ast`, since hadolint itself (a Haskell binary) is neither in Debian nor
 *   installable from npm here. A `# hadolint ignore=DL3008,...` comment right above an instruction silences
 *   those rules for it, as in hadolint.
 * - Compose: `dclint`, which validates against the Compose Specification's JSON Schema (shipped in the
 *   package) and then applies its own rules (ports bound to an interface, explicit image tags, ...).
 *
 * @see https://github.com/rcjsuen/dockerfile-utils/blob/master/VALIDATOR.md
 * @see https://github.com/hadolint/hadolint#rules
 * @see https://github.com/zavoloklom/docker-compose-linter
 * @module
 */
import * as dclint from 'dclint';
import {
  DockerfileParser,
  type Dockerfile,
  type From,
  type Instruction,
  type JSONInstruction,
  type PropertyInstruction,
} from 'dockerfile-ast';
import { validate, ValidationCode } from 'dockerfile-utils';

/** One problem in a Dockerfile or Compose file. */
export interface LintFinding {
  /** 1-based. */
  line: number;
  /** `dockerfile-utils:<ValidationCode>`, a hadolint code (`DL3006`) or `dclint:<rule>`. */
  rule: string;
  message: string;
}

/** One `COPY` of a stage. */
export interface ImageCopy {
  /** The `--from` stage or image; `undefined` for the build context. */
  from: string | undefined;
  sources: string[];
  destination: string;
}

/** What one stage of a Dockerfile (the final one unless named) runs and how. */
export interface ImageDescription {
  /** The stage's base image as written (`gcr.io/distroless/cc-debian12:nonroot`). */
  base: string;
  /** The stage's last `USER`, as written; `undefined` when there is none. */
  user: string | undefined;
  /** The stage's last `WORKDIR`; `undefined` when there is none. */
  workdir: string | undefined;
  /** The exec-form `ENTRYPOINT`; `undefined` when missing or in shell form. */
  entrypoint: string[] | undefined;
  /** The exec-form `CMD`; `undefined` when missing or in shell form. */
  cmd: string[] | undefined;
  copies: ImageCopy[];
  /** The stage's `ENV`: name → value. */
  env: Record<string, string>;
  /** The stage's `LABEL`s: name → value, quotes removed. */
  labels: Record<string, string>;
  /** Whether the stage has a `HEALTHCHECK` other than `NONE`. */
  healthcheck: boolean;
  /** `RUN` commands of every stage, as written (continuation lines joined). */
  runs: string[];
  /** Every comment line's text, `#` removed. */
  comments: string[];
}

/** A hadolint rule re-implemented here: its code, and the findings for one instruction. */
interface HouseRule {
  code: string;
  check(instruction: Instruction, context: RuleContext): string | undefined;
}

interface RuleContext {
  /** Names of the stages defined so far (`FROM ... AS name`). */
  stages: Set<string>;
  /** Whether the instruction belongs to the final stage. */
  final: boolean;
}

const RUN_COMMAND = (instruction: Instruction) =>
  instruction.getKeyword() === 'RUN' ? (instruction.getArgumentsContent() ?? '') : '';

/**
 * hadolint's rules that apply to images like ours, each with hadolint's code.
 *
 * @see https://github.com/hadolint/hadolint/wiki (one page per code)
 */
const HOUSE_RULES: readonly HouseRule[] = [
  {
    // DL3006 "Always tag the version of an image explicitly"; DL3007 "Using latest is prone to errors".
    code: 'DL3006',
    check(instruction, { stages }) {
      if (instruction.getKeyword() !== 'FROM') return undefined;
      const from = instruction as From;
      const name = from.getImageName() ?? '';
      if (stages.has(name) || name === 'scratch') return undefined;
      if (from.getImageTag() === null && from.getImageDigest() === null)
        return `Image "${from.getImage()}" has no tag. Pin a version (node:20-bookworm-slim) or a digest.`;
      return undefined;
    },
  },
  {
    code: 'DL3007',
    check(instruction) {
      if (instruction.getKeyword() !== 'FROM') return undefined;
      const from = instruction as From;
      return from.getImageTag() === 'latest'
        ? `Image "${from.getImage()}" moves under you. Pin a version or a digest.`
        : undefined;
    },
  },
  {
    // DL3025 "Use arguments JSON notation for CMD and ENTRYPOINT arguments": the shell form runs under
    // /bin/sh -c, which does not pass SIGTERM on (and distroless images have no shell at all).
    code: 'DL3025',
    check(instruction) {
      const keyword = instruction.getKeyword();
      if (keyword !== 'CMD' && keyword !== 'ENTRYPOINT') return undefined;
      return (instruction as JSONInstruction).getJSONStrings().length === 0
        ? `${keyword} is in shell form. Write it as a JSON array (exec form).`
        : undefined;
    },
  },
  {
    // DL3020 "Use COPY instead of ADD for files and folders".
    code: 'DL3020',
    check: (instruction) =>
      instruction.getKeyword() === 'ADD'
        ? 'ADD fetches URLs and unpacks archives implicitly. Use COPY.'
        : undefined,
  },
  {
    // DL3003 "Use WORKDIR to switch to a directory".
    code: 'DL3003',
    check: (instruction) =>
      /(^|&&|;|\|\|)\s*cd\s/.test(RUN_COMMAND(instruction))
        ? 'RUN changes directory with cd. Use WORKDIR.'
        : undefined,
  },
  {
    // DL3004 "Do not use sudo".
    code: 'DL3004',
    check: (instruction) =>
      /(^|\s)sudo\s/.test(RUN_COMMAND(instruction))
        ? 'RUN uses sudo. Build steps run as root already; use USER to drop privileges.'
        : undefined,
  },
  {
    // DL3015 "Avoid additional packages by specifying --no-install-recommends".
    code: 'DL3015',
    check(instruction) {
      const run = RUN_COMMAND(instruction);
      return /apt-get\s+(-\S+\s+)*install/.test(run) && !run.includes('--no-install-recommends')
        ? 'apt-get install without --no-install-recommends. Add it.'
        : undefined;
    },
  },
  {
    // DL3009 "Delete the apt-get lists after installing something".
    code: 'DL3009',
    check(instruction) {
      const run = RUN_COMMAND(instruction);
      return /apt-get\s+(-\S+\s+)*install/.test(run) && !/rm -rf \/var\/lib\/apt\/lists/.test(run)
        ? 'apt-get install leaves /var/lib/apt/lists behind. End the RUN with rm -rf /var/lib/apt/lists/*.'
        : undefined;
    },
  },
  {
    // DL3002 "Last USER should not be root", made stricter: a numeric uid, which Kubernetes' runAsNonRoot
    // can verify without reading /etc/passwd.
    code: 'DL3002',
    check(instruction, { final }) {
      if (!final || instruction.getKeyword() !== 'USER') return undefined;
      const user = instruction.getArgumentsContent() ?? '';
      const uid = /^(\d+)(:\d+)?$/.exec(user)?.[1];
      if (uid === undefined) return `USER "${user}" is not numeric. Write uid:gid (65532:65532).`;
      return uid === '0' ? 'USER is root. Run as a non-root uid.' : undefined;
    },
  },
];

/** Codes silenced by a `# hadolint ignore=A,B` comment on the line above `line` (0-based). */
function ignoredAt(dockerfile: Dockerfile, line: number): Set<string> {
  const comment = dockerfile.getComments().find((c) => c.getRange().start.line === line - 1);
  const codes = /^hadolint ignore=([\w,]+)$/.exec(comment?.getContent().trim() ?? '')?.[1];
  return new Set(codes?.split(',') ?? []);
}

function lastFromLine(dockerfile: Dockerfile): number {
  return dockerfile.getFROMs().at(-1)?.getRange().start.line ?? 0;
}

/**
 * Lints one Dockerfile: dockerfile-utils' validation (every check at its default severity, warnings
 * included) plus {@link HOUSE_RULES}, and a final stage that has no `USER` at all (DL3002: it runs as root).
 *
 * @returns the findings, ordered by line; empty when the file is clean
 */
export function lintDockerfile(text: string): LintFinding[] {
  const findings: LintFinding[] = validate(text).map((diagnostic) => ({
    line: diagnostic.range.start.line + 1,
    rule: `dockerfile-utils:${ValidationCode[Number(diagnostic.code)] ?? String(diagnostic.code)}`,
    message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
  }));
  const dockerfile = DockerfileParser.parse(text);
  const finalFrom = lastFromLine(dockerfile);
  const stages = new Set<string>();
  let finalUser = false;
  for (const instruction of dockerfile.getInstructions()) {
    const line = instruction.getRange().start.line;
    const context = { stages, final: line >= finalFrom };
    const ignored = ignoredAt(dockerfile, line);
    for (const rule of HOUSE_RULES) {
      const message = ignored.has(rule.code) ? undefined : rule.check(instruction, context);
      if (message !== undefined) findings.push({ line: line + 1, rule: rule.code, message });
    }
    if (instruction.getKeyword() === 'FROM') {
      const stage = (instruction as From).getBuildStage();
      if (stage !== null) stages.add(stage);
    }
    if (context.final && instruction.getKeyword() === 'USER') finalUser = true;
  }
  if (!finalUser)
    findings.push({
      line: finalFrom + 1,
      rule: 'DL3002',
      message: 'The final stage has no USER, so it runs as root. Add USER uid:gid.',
    });
  return findings.sort((a, b) => a.line - b.line);
}

function jsonArguments(instruction: JSONInstruction | undefined): string[] | undefined {
  const strings = instruction?.getJSONStrings().map((s) => s.getJSONValue());
  return strings === undefined || strings.length === 0 ? undefined : strings;
}

/** The 0-based line range `[start, end)` of the stage named `stage`, or of the final stage. */
function stageLines(dockerfile: Dockerfile, stage: string | undefined): [number, number] {
  const froms = dockerfile.getFROMs();
  const index =
    stage === undefined ? froms.length - 1 : froms.findIndex((f) => f.getBuildStage() === stage);
  const from = froms[index];
  if (from === undefined) throw new Error(`No stage "${stage ?? '(final)'}" in the Dockerfile.`);
  return [from.getRange().start.line, froms[index + 1]?.getRange().start.line ?? Infinity];
}

/**
 * Reads one stage of a Dockerfile: what it copies, who it runs as, and what it runs.
 *
 * @param stage - a stage name (`FROM ... AS deps`); the final stage when omitted
 * @throws when there is no such stage
 */
export function describeImage(text: string, stage?: string): ImageDescription {
  const dockerfile = DockerfileParser.parse(text);
  const [start, end] = stageLines(dockerfile, stage);
  const inStage = (instruction: Instruction) => {
    const line = instruction.getRange().start.line;
    return line >= start && line < end;
  };
  const instructions = dockerfile.getInstructions().filter(inStage);
  const last = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword).at(-1);
  const properties = (keyword: string) =>
    Object.fromEntries(
      instructions
        .filter((i) => i.getKeyword() === keyword)
        .flatMap((i) => (i as PropertyInstruction).getProperties())
        .map((p) => [p.getName(), (p.getValue() ?? '').replace(/^"(.*)"$/s, '$1')]),
    );
  const copies = dockerfile
    .getCOPYs()
    .filter(inStage)
    .map((copy) => {
      const paths = copy.getArguments().map((argument) => argument.getValue());
      return {
        from: copy.getFromFlag()?.getValue() ?? undefined,
        sources: paths.slice(0, -1),
        destination: paths.at(-1) ?? '',
      };
    });
  const healthcheck = last('HEALTHCHECK');
  return {
    base: dockerfile.getFROMs().find(inStage)?.getImage() ?? '',
    user: last('USER')?.getArgumentsContent() ?? undefined,
    workdir: last('WORKDIR')?.getArgumentsContent() ?? undefined,
    entrypoint: jsonArguments(last('ENTRYPOINT') as JSONInstruction | undefined),
    cmd: jsonArguments(last('CMD') as JSONInstruction | undefined),
    copies,
    env: properties('ENV'),
    labels: properties('LABEL'),
    healthcheck:
      healthcheck !== undefined &&
      healthcheck.getArguments()[0]?.getValue().toUpperCase() !== 'NONE',
    runs: dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => (i.getArgumentsContent() ?? '').replace(/\\\n\s*/g, ' ')),
    comments: dockerfile.getComments().map((comment) => comment.getContent()),
  };
}

/** The part of dclint's `LintResult` read here. */
interface DclintResult {
  messages: Array<{ line: number; rule: string; message: string }>;
}

/**
 * dclint's linter, typed here: its declaration files import each other without file extensions, which
 * NodeNext resolution cannot follow, so the package's own types arrive unresolved.
 */
const dclintModule: unknown = dclint;
const { DCLinter } = dclintModule as {
  DCLinter: new (config: {
    rules: Record<string, 0 | 1 | 2>;
    quiet: boolean;
    debug: boolean;
    exclude: string[];
  }) => { lintFiles(paths: string[], recursive: boolean): DclintResult[] };
};

/**
 * Lints a Compose file with dclint: a YAML or JSON Schema error first (`dclint:invalid-schema`, only the first
 * one), then every dclint rule at its default level, warnings included.
 *
 * @param path - the Compose file
 * @returns the findings, ordered by line; empty when the file is clean
 */
export function lintCompose(path: string): LintFinding[] {
  const linter = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
  return linter
    .lintFiles([path], false)
    .flatMap((result) => result.messages)
    .map((message) => ({
      line: message.line,
      rule: `dclint:${message.rule}`,
      message: message.message,
    }))
    .sort((a, b) => a.line - b.line);
}
