import type { Scrubber } from './scrubber.js';

/** Outcome of {@link registerSecretEnv}: variable names, in the order `env` lists them. */
export interface RegisterSecretEnvResult {
  /** Secret-named variables whose values are now scrubbed (also when a value was already registered). */
  registered: string[];
  /** Secret-named variables whose values were refused: empty, whitespace-only or too short. */
  refused: string[];
}

/**
 * Registers the value of every environment variable whose name looks secret.
 *
 * @remarks
 * A name is secret by {@link Scrubber.isSecretName}: `GITHUB_TOKEN`, `NPM_TOKEN`,
 * `AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`, `OPENAI_API_KEY`, `NODE_AUTH_TOKEN` …, but not `PWD`,
 * `SSH_AUTH_SOCK` or `TOKEN_FILE`. Each value is registered with the variable's name as its kind, so it
 * is replaced by `[REDACTED:GITHUB_TOKEN]`. Values refused by {@link Scrubber.addSecret} are listed in
 * `refused` and never throw; variables whose value is `undefined` are skipped.
 *
 * @param scrubber - receives the secrets
 * @param env - the environment, e.g. `process.env` as read by `cli.ts`
 * @returns the names registered and the names refused
 */
export function registerSecretEnv(
  scrubber: Scrubber,
  env: Record<string, string | undefined>,
): RegisterSecretEnvResult {
  const registered: string[] = [];
  const refused: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !scrubber.isSecretName(name)) continue;
    (scrubber.addSecret(value, name).added ? registered : refused).push(name);
  }
  return { registered, refused };
}
