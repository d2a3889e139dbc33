/**
 * A local fake of the GitHub REST endpoints Quantum Merge uses, backed by a real bare git repository, so
 * speculative merges and fast-forwards are real git operations driven by the real `@octokit/rest` client.
 * GitHub App authentication is real too: App JWTs are verified (RS256 with the App's public key, `iss`,
 * `iat`, `exp`) and installation tokens are issued.
 *
 * @module
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
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
  /** A GitHub App installed on the repository; without it, App endpoints refuse every JWT. */
  readonly app?: FakeApp;
}

/** The GitHub App the fake knows. */
export interface FakeApp {
  /** App ID; a JWT's `iss` must equal it (as a number or a string). */
  readonly id: number;
  /** The App's private key, PEM; the fake derives the public key that verifies JWTs from it. */
  readonly privateKey: string;
  /** Id of the App's installation on the repository. @defaultValue `4242` */
  readonly installationId?: number;
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
  /** Login of the author. */
  readonly author: string;
  /** Base branch name. */
  readonly base: string;
  /** Head branch name (in the same repository). */
  readonly headRef: string;
  state: 'open' | 'closed';
  merged: boolean;
  /** The base tip that made the PR merged (its head reached the base), else `null`. */
  mergeCommitSha: string | null;
  labels: string[];
}

/** A review state as the reviews API reports it (a dismissed review reads `DISMISSED`). */
export type FakeReviewState =
  'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/** A review on a pull request. */
export interface FakeReview {
  readonly id: number;
  readonly pr: number;
  /** Reviewer login. */
  readonly user: string;
  readonly state: FakeReviewState;
  /** The PR head when the review was added. */
  readonly commitId: string;
  readonly body: string;
}

/** What {@link FakeGitHub.addReview} takes. */
export interface AddReviewInput {
  /** Reviewer login. */
  readonly user: string;
  readonly state: FakeReviewState;
  /** @defaultValue `''` */
  readonly body?: string;
}

/** What {@link FakeGitHub.addCheckRun} takes. */
export interface AddCheckRunInput {
  readonly name: string;
  /** `queued`, `in_progress` or `completed`; `completed` when a conclusion is given. @defaultValue `'queued'` */
  readonly status?: string;
  /** `success`, `failure`, `neutral`, `skipped`, `cancelled`, `timed_out`, `action_required`. */
  readonly conclusion?: string;
  /** Link to the CI's page for the run. @defaultValue `null` */
  readonly detailsUrl?: string;
}

/** What {@link FakeGitHub.addStatus} takes. */
export interface AddStatusInput {
  readonly context: string;
  readonly state: 'error' | 'failure' | 'pending' | 'success';
  readonly description?: string;
  /** Link to the CI's page. @defaultValue `null` */
  readonly targetUrl?: string;
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
  /** Author login. @defaultValue `'octocat'` */
  readonly author?: string;
  /** Label names. @defaultValue `[]` */
  readonly labels?: readonly string[];
}

/** Availability of the check-runs API: `'forbidden'` answers 403 like a token without `checks:write`. */
export type CheckRunsMode = 'available' | 'forbidden' | 'not_found';

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

class HttpReply extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const SHA_PATTERN = /^[0-9a-f]{4,40}$/;

/** GitHub's answer to a JWT it cannot decode or verify. */
const JWT_UNDECODABLE = 'A JSON web token could not be decoded';

/** The permissions the fake installation (and its tokens) has. */
const INSTALLATION_PERMISSIONS = {
  checks: 'write',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write',
  statuses: 'write',
} as const;

interface ParsedCommit {
  readonly tree: string;
  readonly parents: string[];
  readonly author: { name: string; email: string; date: string };
  readonly committer: { name: string; email: string; date: string };
  readonly message: string;
}

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
  readonly reviews: FakeReview[] = [];
  /**
   * Repository permission per login (`admin`, `maintain`, `write`, `triage`, `read`, `none`), as the
   * collaborator permission endpoint reports it; logins not listed have `write`.
   */
  readonly permissions = new Map<string, string>();
  /** How the check-runs endpoints (create, update, list) answer. @defaultValue `'available'` */
  checkRunsMode: CheckRunsMode = 'available';
  /** Whether the App is installed on the repository; `false` makes the installation endpoints 404. */
  appInstalled = true;
  /** Id of the App's installation (`app.installationId`). */
  readonly installationId: number;

  readonly #token: string;
  readonly #app: { readonly id: number; readonly publicKey: KeyObject } | undefined;
  /** Installation tokens issued; each is accepted on repository endpoints like the configured token. */
  readonly #installationTokens = new Set<string>();
  readonly #server: Server;
  #nextId = 1;
  #nextPull = 1;

  constructor(git: GitRepo, options: FakeGitHubOptions) {
    this.git = git;
    this.#token = options.token ?? 'test-token';
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'widgets';
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.installationId = options.app?.installationId ?? 4242;
    this.#app =
      options.app === undefined
        ? undefined
        : { id: options.app.id, publicKey: createPublicKey(options.app.privateKey) };
    this.#server = createServer((req, res) => {
      void this.#handle(req, res);
    });
  }

  /** How many installation access tokens the fake has issued. */
  get installationTokensIssued(): number {
    return this.#installationTokens.size;
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
      author: input.author ?? 'octocat',
      base,
      headRef,
      state: 'open',
      merged: false,
      mergeCommitSha: null,
      labels: [...(input.labels ?? [])],
    };
    this.pulls.set(number, pull);
    return { ...pull, headSha };
  }

  /** Adds a commit with `files` to a PR's head branch, like a push; returns the new head sha. */
  async pushToPullRequest(
    pr: number,
    files: FileMap,
    message = `Update PR #${pr}`,
  ): Promise<string> {
    const pull = this.pulls.get(pr);
    if (pull === undefined) throw new Error(`no pull request #${pr}`);
    return this.commitToBranch(pull.headRef, files, message);
  }

  /** Adds a review on the PR's current head, after every earlier one. */
  async addReview(pr: number, input: AddReviewInput): Promise<FakeReview> {
    const pull = this.pulls.get(pr);
    if (pull === undefined) throw new Error(`no pull request #${pr}`);
    const review: FakeReview = {
      id: this.#nextId++,
      pr,
      user: input.user,
      state: input.state,
      commitId: await this.branchSha(pull.headRef),
      body: input.body ?? '',
    };
    this.reviews.push(review);
    return review;
  }

  /** Adds a check run on commit `sha` (as another App's CI would). */
  async addCheckRun(sha: string, input: AddCheckRunInput): Promise<FakeCheckRun> {
    const headSha = await this.git.resolveCommit(sha);
    if (headSha === undefined) throw new Error(`no commit ${sha}`);
    const run: FakeCheckRun = {
      id: this.#nextId++,
      name: input.name,
      head_sha: headSha,
      status: input.conclusion === undefined ? (input.status ?? 'queued') : 'completed',
      conclusion: input.conclusion ?? null,
      details_url: input.detailsUrl ?? null,
      output: { title: null, summary: null },
    };
    this.checkRuns.push(run);
    return run;
  }

  /** Adds a commit status on commit `sha` (as an external CI would). */
  async addStatus(sha: string, input: AddStatusInput): Promise<FakeStatus> {
    const full = await this.git.resolveCommit(sha);
    if (full === undefined) throw new Error(`no commit ${sha}`);
    const status: FakeStatus = {
      id: this.#nextId++,
      sha: full,
      state: input.state,
      description: input.description ?? null,
      target_url: input.targetUrl ?? null,
      context: input.context,
    };
    this.statuses.push(status);
    return status;
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
      reply = await this.#route(req, method, url, body);
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
      res.writeHead(reply.status, reply.headers).end();
    } else {
      res.writeHead(reply.status, {
        ...reply.headers,
        'content-type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify(reply.body));
    }
  }

  #authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(header);
    const token = match?.[1];
    return token !== undefined && (token === this.#token || this.#installationTokens.has(token));
  }

  /**
   * Verifies the request's App JWT like GitHub: `Authorization: Bearer <jwt>`, RS256 signed by the App's
   * key, `iss` the App ID, `exp` in the future but at most 10 minutes away, `iat` at most 60 s ahead.
   */
  #verifyAppJwt(req: IncomingMessage): void {
    const app = this.#app;
    const jwt = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (app === undefined || jwt === undefined) throw new HttpReply(401, JWT_UNDECODABLE);
    const [header = '', payload = '', signature = '', extra] = jwt.split('.');
    let alg: unknown;
    let claims: { iss?: unknown; iat?: unknown; exp?: unknown };
    try {
      const decode = (part: string): unknown =>
        JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      ({ alg } = decode(header) as { alg?: unknown });
      claims = decode(payload) as typeof claims;
    } catch {
      throw new HttpReply(401, JWT_UNDECODABLE);
    }
    if (
      extra !== undefined ||
      alg !== 'RS256' ||
      !verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        app.publicKey,
        Buffer.from(signature, 'base64url'),
      )
    ) {
      throw new HttpReply(401, JWT_UNDECODABLE);
    }
    const now = Math.floor(Date.now() / 1000);
    if (
      (typeof claims.iss !== 'number' && typeof claims.iss !== 'string') ||
      String(claims.iss) !== String(app.id)
    ) {
      throw new HttpReply(401, "'Issuer' claim ('iss') must be the App ID");
    }
    if (typeof claims.exp !== 'number' || claims.exp <= now) {
      throw new HttpReply(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    }
    if (claims.exp > now + 600) {
      throw new HttpReply(401, "'Expiration time' claim ('exp') is too far in the future");
    }
    if (typeof claims.iat !== 'number' || !Number.isInteger(claims.iat) || claims.iat > now + 60) {
      throw new HttpReply(
        401,
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
      );
    }
  }

  #installationJson(): object {
    return {
      id: this.installationId,
      app_id: this.#app?.id,
      account: { login: this.owner, type: 'Organization' },
      target_type: 'Organization',
      repository_selection: 'all',
      permissions: INSTALLATION_PERMISSIONS,
      events: [],
      access_tokens_url: `${this.url}/app/installations/${this.installationId}/access_tokens`,
    };
  }

  #createInstallationToken(req: IncomingMessage, installationId: number): Reply {
    this.#verifyAppJwt(req);
    if (installationId !== this.installationId || !this.appInstalled) {
      throw new HttpReply(404, 'Not Found');
    }
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    this.#installationTokens.add(token);
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        permissions: INSTALLATION_PERMISSIONS,
        repository_selection: 'all',
      },
    };
  }

  /** `per_page` (default 30, max 100) and `page` of `items`, with GitHub's `Link` header. */
  #paginate<T>(url: URL, items: readonly T[]): { items: T[]; headers: Record<string, string> } {
    const perPage = Math.min(
      Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1),
      100,
    );
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (target: number, rel: string): string => {
      const next = new URL(`${url.pathname}${url.search}`, this.url);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(target));
      return `<${next.href}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
    ];
    return {
      items: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length === 0 ? {} : { link: links.join(', ') },
    };
  }

  async #route(req: IncomingMessage, method: string, url: URL, body: unknown): Promise<Reply> {
    const pathname = url.pathname;
    const prefix = `/repos/${this.owner}/${this.repo}/`;
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(pathname))) {
      return this.#createInstallationToken(req, Number(m[1]));
    }
    if (method === 'GET' && pathname === `${prefix}installation`) {
      this.#verifyAppJwt(req);
      if (!this.appInstalled) throw new HttpReply(404, 'Not Found');
      return { status: 200, body: this.#installationJson() };
    }
    if (!this.#authorized(req)) throw new HttpReply(401, 'Bad credentials');
    if (!pathname.startsWith(prefix)) throw new HttpReply(404, 'Not Found');
    const rest = pathname.slice(prefix.length);
    const input = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && (m = /^pulls\/(\d+)$/.exec(rest))) return this.#getPull(Number(m[1]));
    if (method === 'PATCH' && (m = /^pulls\/(\d+)$/.exec(rest))) {
      return this.#updatePull(Number(m[1]), input);
    }
    if (method === 'GET' && (m = /^collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const login = decodeURIComponent(m[1]!);
      return {
        status: 200,
        body: { permission: this.permissions.get(login) ?? 'write', user: { login } },
      };
    }
    if (method === 'GET' && (m = /^pulls\/(\d+)\/reviews$/.exec(rest))) {
      return this.#listReviews(Number(m[1]), url);
    }
    if (method === 'POST' && rest === 'git/commits') return this.#createGitCommit(input);
    if (method === 'GET' && (m = /^git\/commits\/([0-9a-f]{40})$/.exec(rest))) {
      return this.#getGitCommit(m[1]!);
    }
    if (method === 'GET' && (m = /^compare\/(.+)$/.exec(rest))) {
      return this.#compare(decodeURIComponent(m[1]!), url);
    }
    if (method === 'GET' && (m = /^commits\/([^/]+)\/check-runs$/.exec(rest))) {
      return this.#listCheckRuns(decodeURIComponent(m[1]!), url);
    }
    if (method === 'GET' && (m = /^commits\/([^/]+)\/status$/.exec(rest))) {
      return this.#combinedStatus(decodeURIComponent(m[1]!), url);
    }
    if (method === 'POST' && (m = /^issues\/(\d+)\/labels$/.exec(rest))) {
      return this.#addLabels(Number(m[1]), input);
    }
    if (method === 'DELETE' && (m = /^issues\/(\d+)\/labels\/([^/]+)$/.exec(rest))) {
      return this.#removeLabel(Number(m[1]), decodeURIComponent(m[2]!));
    }
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
    // GitHub computes mergeability in the background and reports null until then, and for closed PRs.
    let mergeable: boolean | null = null;
    if (pull.state === 'open') {
      const result = await this.git.run([
        'merge-tree',
        '--write-tree',
        '--no-messages',
        baseSha,
        headSha,
      ]);
      mergeable = result.code === 0;
    }
    return {
      status: 200,
      body: {
        number: pull.number,
        id: 1000 + pull.number,
        node_id: `PR_${pull.number}`,
        title: pull.title,
        state: pull.state,
        merged: pull.merged,
        merge_commit_sha: pull.mergeCommitSha,
        mergeable,
        draft: false,
        html_url: `https://github.com/${this.fullName}/pull/${pull.number}`,
        user: { login: pull.author },
        labels: pull.labels.map((name, i) => this.#labelJson(name, i)),
        head: { ref: pull.headRef, sha: headSha, label: `${this.owner}:${pull.headRef}`, repo },
        base: { ref: pull.base, sha: baseSha, label: `${this.owner}:${pull.base}`, repo },
      },
    };
  }

  async #updatePull(number: number, input: Record<string, unknown>): Promise<Reply> {
    const pull = this.#pull(number);
    const { state, title } = input;
    if (
      (state !== undefined && state !== 'open' && state !== 'closed') ||
      (title !== undefined && typeof title !== 'string')
    ) {
      throw new HttpReply(422, 'Validation Failed');
    }
    if (state === 'open' && pull.merged) {
      throw new HttpReply(422, 'Validation Failed: cannot reopen a merged pull request');
    }
    if (state !== undefined) pull.state = state;
    if (title !== undefined) pull.title = title;
    return this.#getPull(number);
  }

  #listReviews(number: number, url: URL): Reply {
    this.#pull(number);
    const { items, headers } = this.#paginate(
      url,
      this.reviews.filter((review) => review.pr === number),
    );
    return {
      status: 200,
      headers,
      body: items.map((review) => ({
        id: review.id,
        node_id: `PRR_${review.id}`,
        user: { login: review.user, id: 1, type: 'User' },
        body: review.body,
        state: review.state,
        commit_id: review.commitId,
        author_association: 'MEMBER',
        html_url: `https://github.com/${this.fullName}/pull/${number}#pullrequestreview-${review.id}`,
        pull_request_url: `${this.url}/repos/${this.fullName}/pulls/${number}`,
        _links: { html: { href: '' }, pull_request: { href: '' } },
        ...(review.state === 'PENDING' ? {} : { submitted_at: new Date().toISOString() }),
      })),
    };
  }

  async #addLabels(number: number, input: Record<string, unknown>): Promise<Reply> {
    const pull = this.#pull(number);
    const labels = input.labels;
    if (!Array.isArray(labels) || !labels.every((label) => typeof label === 'string')) {
      throw new HttpReply(422, 'Validation Failed');
    }
    for (const label of labels) {
      if (!pull.labels.includes(label)) pull.labels.push(label);
    }
    return { status: 200, body: pull.labels.map((name, i) => this.#labelJson(name, i)) };
  }

  #removeLabel(number: number, name: string): Reply {
    const pull = this.#pull(number);
    const index = pull.labels.indexOf(name);
    if (index === -1) throw new HttpReply(404, 'Label does not exist');
    pull.labels.splice(index, 1);
    return { status: 200, body: pull.labels.map((label, i) => this.#labelJson(label, i)) };
  }

  /**
   * Like GitHub: after `ref` moved to `tip`, every open PR on that branch whose head is in `tip` is merged.
   */
  async #markMergedPulls(ref: string, tip: string): Promise<void> {
    for (const pull of this.pulls.values()) {
      if (pull.state !== 'open' || `refs/heads/${pull.base}` !== ref) continue;
      const head = await this.git.readRef(`refs/heads/${pull.headRef}`);
      if (head !== undefined && (await this.git.isAncestor(head, tip))) {
        pull.state = 'closed';
        pull.merged = true;
        pull.mergeCommitSha = tip;
      }
    }
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
    await this.#markMergedPulls(ref, sha);
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
    await this.#markMergedPulls(ref, sha);
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
    await this.#markMergedPulls(baseRef, commit);
    return { status: 201, body: await this.#commitJson(commit) };
  }

  async #readCommit(sha: string): Promise<ParsedCommit> {
    const out = await this.git.git([
      'show',
      '-s',
      '--format=%T%n%P%n%an%n%ae%n%aI%n%cn%n%ce%n%cI%n%B',
      sha,
    ]);
    const [
      tree = '',
      parents = '',
      an = '',
      ae = '',
      ad = '',
      cn = '',
      ce = '',
      cd = '',
      ...message
    ] = out.split('\n');
    return {
      tree,
      parents: parents === '' ? [] : parents.split(' '),
      author: { name: an, email: ae, date: ad },
      committer: { name: cn, email: ce, date: cd },
      message: message.join('\n').trim(),
    };
  }

  /** A commit as the commits API (`/commits/{ref}`, merges) returns it. */
  async #commitJson(sha: string): Promise<object> {
    const commit = await this.#readCommit(sha);
    const api = `${this.url}/repos/${this.fullName}`;
    return {
      sha,
      node_id: `C_${sha}`,
      url: `${api}/commits/${sha}`,
      html_url: `https://github.com/${this.fullName}/commit/${sha}`,
      commit: {
        message: commit.message,
        tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
        author: commit.author,
        committer: commit.committer,
        url: `${api}/git/commits/${sha}`,
      },
      parents: commit.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}` })),
    };
  }

  /** A commit as the git database API (`/git/commits`) returns it. */
  async #gitCommitJson(sha: string): Promise<object> {
    const commit = await this.#readCommit(sha);
    const api = `${this.url}/repos/${this.fullName}`;
    return {
      sha,
      node_id: `C_${sha}`,
      url: `${api}/git/commits/${sha}`,
      html_url: `https://github.com/${this.fullName}/commit/${sha}`,
      message: commit.message,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      author: commit.author,
      committer: commit.committer,
      parents: commit.parents.map((p) => ({
        sha: p,
        url: `${api}/git/commits/${p}`,
        html_url: `https://github.com/${this.fullName}/commit/${p}`,
      })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    };
  }

  async #objectType(sha: string): Promise<string | undefined> {
    const result = await this.git.run(['cat-file', '-t', sha]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async #createGitCommit(input: Record<string, unknown>): Promise<Reply> {
    const { message, tree, parents = [], author } = input;
    if (typeof message !== 'string' || typeof tree !== 'string' || !Array.isArray(parents)) {
      throw new HttpReply(422, 'Invalid request.');
    }
    if (!/^[0-9a-f]{40}$/.test(tree) || (await this.#objectType(tree)) !== 'tree') {
      throw new HttpReply(422, 'Tree SHA does not exist');
    }
    for (const parent of parents) {
      if (
        typeof parent !== 'string' ||
        !/^[0-9a-f]{40}$/.test(parent) ||
        (await this.#objectType(parent)) !== 'commit'
      ) {
        throw new HttpReply(422, 'Parent SHA does not exist or is not a commit object');
      }
    }
    const who = author as { name?: unknown; email?: unknown } | undefined;
    const env =
      typeof who?.name === 'string' && typeof who.email === 'string'
        ? { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email }
        : {};
    const sha = await this.git.git(
      ['commit-tree', tree, ...(parents as string[]).flatMap((p) => ['-p', p]), '-m', message],
      { env },
    );
    return { status: 201, body: await this.#gitCommitJson(sha) };
  }

  async #getGitCommit(sha: string): Promise<Reply> {
    if ((await this.#objectType(sha)) !== 'commit') throw new HttpReply(404, 'Not Found');
    return { status: 200, body: await this.#gitCommitJson(sha) };
  }

  async #compare(basehead: string, url: URL): Promise<Reply> {
    const match = /^(.+?)\.\.\.(.+)$/.exec(basehead);
    if (match === null) throw new HttpReply(404, 'Not Found');
    const base = await this.git.resolveCommit(match[1]!);
    const head = await this.git.resolveCommit(match[2]!);
    if (base === undefined || head === undefined) throw new HttpReply(404, 'Not Found');
    const count = async (range: string): Promise<number> =>
      Number(await this.git.git(['rev-list', '--count', range]));
    const aheadBy = await count(`${base}..${head}`);
    const behindBy = await count(`${head}..${base}`);
    const status =
      base === head
        ? 'identical'
        : behindBy === 0
          ? 'ahead'
          : aheadBy === 0
            ? 'behind'
            : 'diverged';
    const mergeBase = await this.git.run(['merge-base', base, head]);
    const ahead = await this.git.git(['rev-list', '--reverse', `${base}..${head}`]);
    const { items, headers } = this.#paginate(url, ahead === '' ? [] : ahead.split('\n'));
    return {
      status: 200,
      headers,
      body: {
        url: `${this.url}/repos/${this.fullName}/compare/${basehead}`,
        html_url: `https://github.com/${this.fullName}/compare/${basehead}`,
        status,
        ahead_by: aheadBy,
        behind_by: behindBy,
        total_commits: aheadBy,
        base_commit: await this.#commitJson(base),
        merge_base_commit:
          mergeBase.code === 0 ? await this.#commitJson(mergeBase.stdout.trim()) : null,
        commits: await Promise.all(items.map((sha) => this.#commitJson(sha))),
        files: [],
      },
    };
  }

  async #listCheckRuns(ref: string, url: URL): Promise<Reply> {
    this.#checkRunsGuard();
    const sha = await this.git.resolveCommit(ref);
    if (sha === undefined) throw new HttpReply(422, `No commit found for SHA: ${ref}`);
    const name = url.searchParams.get('check_name');
    const runs = this.checkRuns.filter(
      (run) => run.head_sha === sha && (name === null || run.name === name),
    );
    const { items, headers } = this.#paginate(url, runs);
    return {
      status: 200,
      headers,
      body: { total_count: runs.length, check_runs: items.map((run) => this.#checkRunJson(run)) },
    };
  }

  async #combinedStatus(ref: string, url: URL): Promise<Reply> {
    const sha = await this.git.resolveCommit(ref);
    if (sha === undefined) throw new HttpReply(404, `No commit found for SHA: ${ref}`);
    // The latest status per context, newest first.
    const latest = new Map<string, FakeStatus>();
    for (const status of [...this.statuses].reverse()) {
      if (status.sha === sha && !latest.has(status.context)) latest.set(status.context, status);
    }
    const all = [...latest.values()];
    const state = all.some((s) => s.state === 'error' || s.state === 'failure')
      ? 'failure'
      : all.length === 0 || all.some((s) => s.state === 'pending')
        ? 'pending'
        : 'success';
    const { items, headers } = this.#paginate(url, all);
    return {
      status: 200,
      headers,
      body: {
        state,
        sha,
        total_count: all.length,
        statuses: items.map((status) => this.#statusJson(status)),
        repository: { full_name: this.fullName, name: this.repo, owner: { login: this.owner } },
        commit_url: `${this.url}/repos/${this.fullName}/commits/${sha}`,
        url: `${this.url}/repos/${this.fullName}/commits/${sha}/status`,
      },
    };
  }

  #statusJson(status: FakeStatus): object {
    return { ...status, node_id: `S_${status.id}`, created_at: new Date().toISOString() };
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
    return { status: 201, body: this.#statusJson(status) };
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
