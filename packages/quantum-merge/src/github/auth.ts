/**
 * Authenticated `Octokit` clients per repository, as a GitHub App installation or with a plain token, and
 * the helpers that turn their failures into typed errors.
 *
 * @module
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { Logger } from '@velocity/core';
import {
  GitHubApiError,
  GitHubAppNotInstalledError,
  GitHubCredentialsMissingError,
  RepositoryMismatchError,
} from './errors.js';

/** GitHub's public REST API. */
export const GITHUB_API_URL = 'https://api.github.com';

/** Options of {@link GitHubClientFactory}; the `quantumMerge.*` config keys they come from are named. */
export interface GitHubClientFactoryOptions {
  /** GitHub App ID (`quantumMerge.appId`); needs `privateKey`. */
  readonly appId?: number;
  /** The App's private key, PEM (PKCS#1 as GitHub issues it, or PKCS#8) (`quantumMerge.privateKey`). */
  readonly privateKey?: string;
  /** A token used instead of the App (`quantumMerge.githubToken`); wins when both are set. */
  readonly token?: string;
  /** REST API root: GitHub Enterprise Server's `https://HOST/api/v3`, or a fake in tests. @defaultValue {@link GITHUB_API_URL} */
  readonly baseUrl?: string;
  /** Receives octokit's request log and warnings. @defaultValue no-op */
  readonly logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
}

/** A repository name split into its parts. */
export interface RepositoryName {
  readonly owner: string;
  readonly name: string;
}

/**
 * Splits `owner/name`.
 *
 * @throws {@link RepositoryMismatchError} when `repo` is not exactly two non-empty parts
 */
export function parseRepositoryName(repo: string): RepositoryName {
  const [owner, name, extra] = repo.split('/');
  if (
    owner === undefined ||
    owner === '' ||
    name === undefined ||
    name === '' ||
    extra !== undefined
  ) {
    throw new RepositoryMismatchError({ expected: 'owner/name', actual: repo });
  }
  return { owner, name };
}

/** The fields of octokit's `RequestError` the GitHub layer reads. */
export interface RequestErrorLike {
  /** HTTP status. */
  readonly status: number;
  readonly message: string;
  readonly response?: { readonly data?: unknown };
}

/** `error` when it is an octokit `RequestError` (an `Error` with a numeric `status`), else `undefined`. */
export function asRequestError(error: unknown): RequestErrorLike | undefined {
  if (error instanceof Error && typeof (error as Partial<RequestErrorLike>).status === 'number') {
    return error as unknown as RequestErrorLike;
  }
  return undefined;
}

/** The API's own `message` (e.g. `Update is not a fast forward`), without octokit's documentation suffix. */
export function requestErrorReason(error: RequestErrorLike): string {
  const data = error.response?.data;
  if (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { message?: unknown }).message === 'string'
  ) {
    return (data as { message: string }).message;
  }
  return error.message;
}

/**
 * Wraps a failed request as a {@link GitHubApiError} (status 0 when no response arrived), keeping it as
 * `cause`; octokit has already redacted the `authorization` header in it.
 *
 * @param operation - what was being done, e.g. `read pull request #3`
 * @param repo - `owner/name`
 */
export function toGitHubApiError(operation: string, repo: string, error: unknown): GitHubApiError {
  const requestError = asRequestError(error);
  return new GitHubApiError(
    {
      operation,
      repo,
      status: requestError?.status ?? 0,
      reason: requestError === undefined ? String(error) : requestErrorReason(requestError),
    },
    { cause: error },
  );
}

const noop = (): void => {};

/**
 * Hands out an authenticated `Octokit` for a repository: the GitHub App's installation on it, or one client
 * with a plain token for every repository.
 *
 * @remarks
 * App mode: the installation is looked up once per repository with the App's JWT
 * (`GET /repos/{owner}/{repo}/installation`), and one client is kept per installation, so repositories of
 * one installation share it. `@octokit/auth-app` creates the installation token on that client's first
 * request, caches it, and creates a new one shortly before it expires (tokens live one hour).
 *
 * @see {@link https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation | Authenticating as an installation}
 * @see {@link https://docs.github.com/en/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app | Get a repository installation}
 *
 * @privateRemarks
 * Both clients get the App as `authStrategy`, so auth-app sends its requests through the client's own
 * `request`, which carries `baseUrl`; a standalone `createAppAuth` would call api.github.com.
 */
export class GitHubClientFactory {
  /** `app` when authenticating as a GitHub App installation, `token` with a plain token. */
  readonly mode: 'app' | 'token';
  readonly #baseUrl: string;
  readonly #log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  readonly #app: { readonly appId: number; readonly privateKey: string } | undefined;
  /** The single client of token mode, or the App's own (JWT) client. */
  readonly #client: Octokit;
  /** Installation id per `owner/name`; a failed lookup is removed so the next call retries. */
  readonly #installations = new Map<string, Promise<number>>();
  readonly #installationClients = new Map<number, Octokit>();

  /**
   * @throws {@link GitHubCredentialsMissingError} when there is no token and `appId` or `privateKey` is
   *   missing; names the missing `quantumMerge.*` keys
   */
  constructor(options: GitHubClientFactoryOptions) {
    this.#baseUrl = options.baseUrl ?? GITHUB_API_URL;
    this.#log = options.logger ?? { debug: noop, info: noop, warn: noop, error: noop };
    const { token, appId, privateKey } = options;
    if (token !== undefined && token !== '') {
      this.mode = 'token';
      this.#app = undefined;
      this.#client = new Octokit({ auth: token, baseUrl: this.#baseUrl, log: this.#log });
      return;
    }
    if (appId === undefined || privateKey === undefined || privateKey === '') {
      const missing = [
        ...(appId === undefined && (privateKey === undefined || privateKey === '')
          ? ['quantumMerge.githubToken']
          : []),
        ...(appId === undefined ? ['quantumMerge.appId'] : []),
        ...(privateKey === undefined || privateKey === '' ? ['quantumMerge.privateKey'] : []),
      ];
      throw new GitHubCredentialsMissingError(missing);
    }
    this.mode = 'app';
    this.#app = { appId, privateKey };
    this.#client = new Octokit({
      authStrategy: createAppAuth,
      auth: { appId, privateKey },
      baseUrl: this.#baseUrl,
      log: this.#log,
    });
  }

  /**
   * An authenticated client for `repo` (`owner/name`), whose `baseUrl` is this factory's.
   *
   * @throws {@link GitHubAppNotInstalledError} when the App is not installed on `repo`
   * @throws {@link GitHubApiError} when the installation lookup fails otherwise (e.g. HTTP 401: wrong
   *   `appId` or `privateKey`, or the clock is off by more than a minute)
   * @throws {@link RepositoryMismatchError} when `repo` is not `owner/name`
   */
  async getOctokit(repo: string): Promise<Octokit> {
    if (this.#app === undefined) return this.#client;
    const { appId, privateKey } = this.#app;
    const installationId = await this.#installationId(repo, appId);
    let client = this.#installationClients.get(installationId);
    if (client === undefined) {
      client = new Octokit({
        authStrategy: createAppAuth,
        auth: { appId, privateKey, installationId },
        baseUrl: this.#baseUrl,
        log: this.#log,
      });
      this.#installationClients.set(installationId, client);
    }
    return client;
  }

  #installationId(repo: string, appId: number): Promise<number> {
    let pending = this.#installations.get(repo);
    if (pending === undefined) {
      pending = this.#lookUpInstallation(repo, appId);
      this.#installations.set(repo, pending);
      pending.catch(() => this.#installations.delete(repo));
    }
    return pending;
  }

  async #lookUpInstallation(repo: string, appId: number): Promise<number> {
    const { owner, name } = parseRepositoryName(repo);
    try {
      const { data } = await this.#client.rest.apps.getRepoInstallation({ owner, repo: name });
      this.#log.debug(`GitHub App ${appId} installation ${data.id} covers ${repo}`);
      return data.id;
    } catch (error) {
      if (asRequestError(error)?.status === 404) {
        throw new GitHubAppNotInstalledError({ repo, appId }, { cause: error });
      }
      throw toGitHubApiError('look up the GitHub App installation', repo, error);
    }
  }
}
