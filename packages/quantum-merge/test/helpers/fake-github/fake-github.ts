/**
 * A local fake of the GitHub REST endpoints Quantum Merge uses, backed by a real bare git repository, so
 * speculative merges and fast-forwards are real git operations driven by the real `@octokit/rest` client.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitRepo, type FileMap } from './git-repo.js';

/** Options of {@link startFakeGitHub}. */
export interface FakeGitHubOptions {
  /** Token every request must carry as `Authorization: token X` or `Bearer X`. @defaultValue `'test-token'` */
  readonly token?: string;
  /** Repository owner. @defaultValue `'acme'` */
  readonly owner?: string;
  /** Repository name. @defaultValue `'widgets'` */
  readonly repo?: string;
  /** Default branch, created with `initialFiles`. @defaultValue `'main'` */
  readonly defaultBranch?: string;
  /** Files of the first commit on the default branch. @defaultValue `{'README.md': '# widgets\n'}` */
  readonly initialFiles?: FileMap;
}

/** One request the fake received, for assertions. The token is never recorded. */
export interface RecordedRequest {
  readonly method: string;
  /** Decoded path without the query string, e.g. `/repos/acme/widgets/git/refs/heads/main`. */
  readonly path: string;
  /** Parsed JSON body, or `undefined` when there was none. */
  readonly body: unknown;
  /** HTTP status the fake answered with. */
  status: number;
}

/** A pull request known to the fake. */
export interface FakePullRequest {
  readonly number: number;
  title: string;
  /** Base branch name. */
  readonly base: string;
  /** Head branch name (in the same repository). */
  readonly headRef: string;
  state: 'open' | 'closed';
  merged: boolean;
  labels: string[];
}

/** A check run created through the fake. */
export interface FakeCheckRun {
  readonly id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  output: { title: string | null; summary: string | null };
}

/** A commit status created through the fake. */
export interface FakeStatus {
  readonly id: number;
  readonly sha: string;
  readonly state: string;
  readonly description: string | null;
  readonly target_url: string | null;
  readonly context: string;
}

/** A comment created through the fake. */
export interface FakeComment {
  readonly id: number;
  readonly issue: number;
  readonly body: string;
}

/** What {@link FakeGitHub.addPullRequest} takes. */
export interface AddPullRequestInput {
  /** Files the PR's single commit adds or changes on top of the base tip. */
  readonly files: FileMap;
  /** @defaultValue the default branch */
  readonly base?: string;
  /** @defaultValue `pr-<number>` */
  readonly headRef?: string;
  /** @defaultValue `PR #<number>` */
  readonly title?: string;
  /** Label names. @defaultValue `[]` */
  readonly labels?: readonly string[];
}

/** Availability of the check-runs API: `'forbidden'` answers 403 like a token without `checks:write`. */
export type CheckRunsMode = 'available' | 'forbidden' | 'not_found';

interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

class HttpReply extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const SHA_PATTERN = /^[0-9a-f]{4,40}$/;

/** The running fake: its URL, its git repository, and what it recorded. */
export class FakeGitHub {
  /** Base URL to pass to `new Octokit({ baseUrl })`, e.g. `http://127.0.0.1:41234`. */
  url = '';
  /** The backing bare repository. */
  readonly git: GitRepo;
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  readonly pulls = new Map<number, FakePullRequest>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly statuses: FakeStatus[] = [];
  readonly comments: FakeComment[] = [];
  /** How `POST/PATCH check-runs` answer. @defaultValue `'available'` */
  checkRunsMode: CheckRunsMode = 'available';

  readonly #token: string;
  readonly #server: Server;
  #nextId = 1;
  #nextPull = 1;

  constructor(git: GitRepo, options: FakeGitHubOptions) {
    this.git = git;
    this.#token = options.token ?? 'test-token';
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'widgets';
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.#server = createServer((req, res) => {
      void this.#handle(req, res);
    });
  }

  /** Binds 127.0.0.1 on an ephemeral port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Stops the server (dropping keep-alive connections) and deletes the repository. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await this.git.destroy();
  }

  /** `owner/name`. */
  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** The sha branch `name` points at; throws when it does not exist. */
  async branchSha(name: string): Promise<string> {
    const sha = await this.git.readRef(`refs/heads/${name}`);
    if (sha === undefined) throw new Error(`branch ${name} does not exist`);
    return sha;
  }

  /** Adds a commit with `files` on top of branch `name` (created from `from` when missing); returns its sha. */
  async commitToBranch(
    name: string,
    files: FileMap,
    message: string,
    from?: string,
  ): Promise<string> {
    const parent = (await this.git.readRef(`refs/heads/${name}`)) ?? from;
    const sha = await this.git.commitFiles(files, message, parent === undefined ? [] : [parent]);
    await this.git.setRef(`refs/heads/${name}`, sha);
    return sha;
  }

  /** Creates a PR: a head branch with one commit adding `files` on the base tip. */
  async addPullRequest(input: AddPullRequestInput): Promise<FakePullRequest & { headSha: string }> {
    const number = this.#nextPull++;
    const base = input.base ?? this.defaultBranch;
    const headRef = input.headRef ?? `pr-${number}`;
    const headSha = await this.commitToBranch(
      headRef,
      input.files,
      `PR #${number}`,
      await this.branchSha(base),
    );
    const pull: FakePullRequest = {
      number,
      title: input.title ?? `PR #${number}`,
      base,
      headRef,
      state: 'open',
      merged: false,
      labels: [...(input.labels ?? [])],
    };
    this.pulls.set(number, pull);
    return { ...pull, headSha };
  }

  /** Requests whose method and path match, e.g. `('POST', /\/merges$/)`. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    let body: unknown;
    const record: RecordedRequest = {
      method,
      path: decodeURIComponent(url.pathname),
      body,
      status: 0,
    };
    this.requests.push(record);
    let reply: Reply;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
      Object.assign(record, { body });
      reply = await this.#route(req, method, url.pathname, body);
    } catch (error) {
      reply =
        error instanceof HttpReply
          ? { status: error.status, body: { message: error.message } }
          : error instanceof SyntaxError
            ? { status: 400, body: { message: 'Problems parsing JSON' } }
            : { status: 500, body: { message: String(error) } };
    }
    record.status = reply.status;
    if (reply.status >= 400 && typeof reply.body === 'object' && reply.body !== null) {
      Object.assign(reply.body, {
        documentation_url: 'https://docs.github.com/rest',
        status: String(reply.status),
      });
    }
    if (reply.body === undefined) {
      res.writeHead(reply.status).end();
    } else {
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(reply.body));
    }
  }

  #authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(header);
    return match?.[1] === this.#token;
  }

  async #route(
    req: IncomingMessage,
    method: string,
    pathname: string,
    body: unknown,
  ): Promise<Reply> {
    if (!this.#authorized(req)) throw new HttpReply(401, 'Bad credentials');
    const prefix = `/repos/${this.owner}/${this.repo}/`;
    if (!pathname.startsWith(prefix)) throw new HttpReply(404, 'Not Found');
    const rest = pathname.slice(prefix.length);
    const input = (body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^pulls\/(\d+)$/.exec(rest))) return this.#getPull(Number(m[1]));
    if (method === 'GET' && (m = /^git\/ref\/(.+)$/.exec(rest))) {
      return { status: 200, body: await this.#refJson(`refs/${decodeURIComponent(m[1]!)}`) };
    }
    if (method === 'POST' && rest === 'git/refs') return this.#createRef(input);
    if (method === 'PATCH' && (m = /^git\/refs\/(.+)$/.exec(rest))) {
      return this.#updateRef(`refs/${decodeURIComponent(m[1]!)}`, input);
    }
    if (method === 'DELETE' && (m = /^git\/refs\/(.+)$/.exec(rest))) {
      return this.#deleteRef(`refs/${decodeURIComponent(m[1]!)}`);
    }
    if (method === 'POST' && rest === 'merges') return this.#merge(input);
    if (method === 'GET' && (m = /^commits\/([^/]+)$/.exec(rest))) {
      const sha = await this.git.resolveCommit(decodeURIComponent(m[1]!));
      if (sha === undefined) throw new HttpReply(404, 'No commit found for SHA');
      return { status: 200, body: await this.#commitJson(sha) };
    }
    if (method === 'POST' && rest === 'check-runs') return this.#createCheckRun(input);
    if (method === 'PATCH' && (m = /^check-runs\/(\d+)$/.exec(rest))) {
      return this.#updateCheckRun(Number(m[1]), input);
    }
    if (method === 'POST' && (m = /^statuses\/([0-9a-f]{40})$/.exec(rest))) {
      return this.#createStatus(m[1]!, input);
    }
    if (method === 'POST' && (m = /^issues\/(\d+)\/comments$/.exec(rest))) {
      return this.#createComment(Number(m[1]), input);
    }
    if (method === 'GET' && (m = /^issues\/(\d+)\/labels$/.exec(rest))) {
      const pull = this.#pull(Number(m[1]));
      return { status: 200, body: pull.labels.map((name, i) => this.#labelJson(name, i)) };
    }
    throw new HttpReply(404, 'Not Found');
  }

  #pull(number: number): FakePullRequest {
    const pull = this.pulls.get(number);
    if (pull === undefined) throw new HttpReply(404, 'Not Found');
    return pull;
  }

  #labelJson(name: string, index: number): object {
    return {
      id: index + 1,
      node_id: `LA_${index + 1}`,
      name,
      color: 'ededed',
      default: false,
      description: null,
    };
  }

  async #getPull(number: number): Promise<Reply> {
    const pull = this.#pull(number);
    const repo = { full_name: this.fullName, name: this.repo, owner: { login: this.owner } };
    const headSha = await this.branchSha(pull.headRef);
    const baseSha = await this.branchSha(pull.base);
    return {
      status: 200,
      body: {
        number: pull.number,
        id: 1000 + pull.number,
        node_id: `PR_${pull.number}`,
        title: pull.title,
        state: pull.state,
        merged: pull.merged,
        draft: false,
        html_url: `https://github.com/${this.fullName}/pull/${pull.number}`,
        user: { login: 'octocat' },
        labels: pull.labels.map((name, i) => this.#labelJson(name, i)),
        head: { ref: pull.headRef, sha: headSha, label: `${this.owner}:${pull.headRef}`, repo },
        base: { ref: pull.base, sha: baseSha, label: `${this.owner}:${pull.base}`, repo },
      },
    };
  }

  async #refJson(ref: string): Promise<object> {
    const sha = await this.git.readRef(ref);
    if (sha === undefined || !ref.startsWith('refs/')) throw new HttpReply(404, 'Not Found');
    return {
      ref,
      node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
      url: `${this.url}/repos/${this.fullName}/git/${ref}`,
      object: { sha, type: 'commit', url: `${this.url}/repos/${this.fullName}/git/commits/${sha}` },
    };
  }

  async #commitSha(value: unknown): Promise<string> {
    if (typeof value !== 'string' || !SHA_PATTERN.test(value))
      throw new HttpReply(422, 'Object does not exist');
    const sha = await this.git.resolveCommit(value);
    if (sha === undefined) throw new HttpReply(422, 'Object does not exist');
    return sha;
  }

  async #createRef(input: Record<string, unknown>): Promise<Reply> {
    const ref = input.ref;
    if (typeof ref !== 'string' || !/^refs\/.+\/.+/.test(ref)) {
      throw new HttpReply(
        422,
        'Reference name must start with refs/ and have at least two slashes.',
      );
    }
    const sha = await this.#commitSha(input.sha);
    // The zero old value makes update-ref fail when the ref exists: an atomic create.
    const result = await this.git.run(['update-ref', ref, sha, '0'.repeat(40)]);
    if (result.code !== 0) throw new HttpReply(422, 'Reference already exists');
    return { status: 201, body: await this.#refJson(ref) };
  }

  async #updateRef(ref: string, input: Record<string, unknown>): Promise<Reply> {
    const current = await this.git.readRef(ref);
    if (current === undefined) throw new HttpReply(422, 'Reference does not exist');
    const sha = await this.#commitSha(input.sha);
    if (input.force !== true && !(await this.git.isAncestor(current, sha))) {
      throw new HttpReply(422, 'Update is not a fast forward');
    }
    const result = await this.git.run(['update-ref', ref, sha, current]);
    if (result.code !== 0) throw new HttpReply(422, 'Reference cannot be updated');
    return { status: 200, body: await this.#refJson(ref) };
  }

  async #deleteRef(ref: string): Promise<Reply> {
    const current = await this.git.readRef(ref);
    if (current === undefined) throw new HttpReply(422, 'Reference does not exist');
    await this.git.git(['update-ref', '-d', ref, current]);
    return { status: 204 };
  }

  async #merge(input: Record<string, unknown>): Promise<Reply> {
    const { base, head } = input;
    if (typeof base !== 'string' || typeof head !== 'string')
      throw new HttpReply(422, 'Invalid request.');
    const baseRef = `refs/heads/${base}`;
    const baseSha = await this.git.readRef(baseRef);
    if (baseSha === undefined) throw new HttpReply(404, 'Base does not exist');
    const headSha =
      (await this.git.readRef(`refs/heads/${head}`)) ??
      (SHA_PATTERN.test(head) ? await this.git.resolveCommit(head) : undefined);
    if (headSha === undefined) throw new HttpReply(404, 'Head does not exist');
    if (await this.git.isAncestor(headSha, baseSha)) return { status: 204 };
    const merged = await this.git.run([
      'merge-tree',
      '--write-tree',
      '--no-messages',
      baseSha,
      headSha,
    ]);
    if (merged.code === 1) throw new HttpReply(409, 'Merge conflict');
    if (merged.code !== 0) throw new Error(`merge-tree failed: ${merged.stderr}`);
    const tree = merged.stdout.split('\n')[0]!;
    const message =
      typeof input.commit_message === 'string'
        ? input.commit_message
        : `Merge ${headSha} into ${base}`;
    const commit = await this.git.git([
      'commit-tree',
      tree,
      '-p',
      baseSha,
      '-p',
      headSha,
      '-m',
      message,
    ]);
    const moved = await this.git.run(['update-ref', baseRef, commit, baseSha]);
    if (moved.code !== 0) throw new HttpReply(409, 'Base moved during the merge');
    return { status: 201, body: await this.#commitJson(commit) };
  }

  async #commitJson(sha: string): Promise<object> {
    const out = await this.git.git([
      'show',
      '-s',
      '--format=%T%n%P%n%an%n%ae%n%aI%n%cn%n%ce%n%cI%n%B',
      sha,
    ]);
    const [tree = '', parents = '', an, ae, ad, cn, ce, cd, ...message] = out.split('\n');
    const api = `${this.url}/repos/${this.fullName}`;
    return {
      sha,
      node_id: `C_${sha}`,
      url: `${api}/commits/${sha}`,
      html_url: `https://github.com/${this.fullName}/commit/${sha}`,
      commit: {
        message: message.join('\n').trim(),
        tree: { sha: tree, url: `${api}/git/trees/${tree}` },
        author: { name: an, email: ae, date: ad },
        committer: { name: cn, email: ce, date: cd },
        url: `${api}/git/commits/${sha}`,
      },
      parents:
        parents === ''
          ? []
          : parents.split(' ').map((p) => ({ sha: p, url: `${api}/commits/${p}` })),
    };
  }

  #checkRunsGuard(): void {
    if (this.checkRunsMode === 'forbidden')
      throw new HttpReply(403, 'Resource not accessible by integration');
    if (this.checkRunsMode === 'not_found') throw new HttpReply(404, 'Not Found');
  }

  #checkRunJson(run: FakeCheckRun): object {
    return {
      ...run,
      node_id: `CR_${run.id}`,
      html_url: `https://github.com/${this.fullName}/runs/${run.id}`,
      url: `${this.url}/repos/${this.fullName}/check-runs/${run.id}`,
    };
  }

  #applyCheckRun(run: FakeCheckRun, input: Record<string, unknown>): void {
    if (typeof input.name === 'string') run.name = input.name;
    if (typeof input.status === 'string') run.status = input.status;
    if (typeof input.conclusion === 'string') {
      run.conclusion = input.conclusion;
      run.status = 'completed';
    }
    if (typeof input.details_url === 'string') run.details_url = input.details_url;
    const output = input.output as { title?: unknown; summary?: unknown } | undefined;
    if (typeof output?.title === 'string') run.output.title = output.title;
    if (typeof output?.summary === 'string') run.output.summary = output.summary;
  }

  async #createCheckRun(input: Record<string, unknown>): Promise<Reply> {
    this.#checkRunsGuard();
    if (typeof input.name !== 'string') throw new HttpReply(422, 'Invalid request.');
    const headSha = await this.#commitSha(input.head_sha);
    const run: FakeCheckRun = {
      id: this.#nextId++,
      name: input.name,
      head_sha: headSha,
      status: 'queued',
      conclusion: null,
      details_url: null,
      output: { title: null, summary: null },
    };
    this.#applyCheckRun(run, input);
    this.checkRuns.push(run);
    return { status: 201, body: this.#checkRunJson(run) };
  }

  #updateCheckRun(id: number, input: Record<string, unknown>): Reply {
    this.#checkRunsGuard();
    const run = this.checkRuns.find((r) => r.id === id);
    if (run === undefined) throw new HttpReply(404, 'Not Found');
    this.#applyCheckRun(run, input);
    return { status: 200, body: this.#checkRunJson(run) };
  }

  async #createStatus(sha: string, input: Record<string, unknown>): Promise<Reply> {
    await this.#commitSha(sha);
    const state = input.state;
    if (state !== 'error' && state !== 'failure' && state !== 'pending' && state !== 'success') {
      throw new HttpReply(422, 'Validation Failed');
    }
    const status: FakeStatus = {
      id: this.#nextId++,
      sha,
      state,
      description: typeof input.description === 'string' ? input.description : null,
      target_url: typeof input.target_url === 'string' ? input.target_url : null,
      context: typeof input.context === 'string' ? input.context : 'default',
    };
    this.statuses.push(status);
    return {
      status: 201,
      body: { ...status, node_id: `S_${status.id}`, created_at: new Date().toISOString() },
    };
  }

  #createComment(issue: number, input: Record<string, unknown>): Reply {
    this.#pull(issue);
    if (typeof input.body !== 'string') throw new HttpReply(422, 'Validation Failed');
    const comment: FakeComment = { id: this.#nextId++, issue, body: input.body };
    this.comments.push(comment);
    return {
      status: 201,
      body: {
        id: comment.id,
        node_id: `IC_${comment.id}`,
        body: comment.body,
        user: { login: 'quantum-merge[bot]' },
        html_url: `https://github.com/${this.fullName}/pull/${issue}#issuecomment-${comment.id}`,
        created_at: new Date().toISOString(),
      },
    };
  }
}

/** Starts a fake GitHub with a fresh repository whose default branch holds `initialFiles`. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const git = await GitRepo.create(options.defaultBranch ?? 'main');
  const fake = new FakeGitHub(git, options);
  await fake.commitToBranch(
    fake.defaultBranch,
    options.initialFiles ?? { 'README.md': '# widgets\n' },
    'Initial commit',
  );
  await fake.listen();
  return fake;
}
