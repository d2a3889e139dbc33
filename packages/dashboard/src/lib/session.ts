/**
 * Login sessions: the session cookie holds an issue time and an HMAC of it keyed with the dashboard token,
 * never the token itself. Web Crypto only, so it runs in the proxy and in route handlers alike.
 *
 * @module
 */

/** Name of the session cookie. */
export const SESSION_COOKIE = 'velocity_session';

/** How long a login lasts, seconds. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

const encoder = new TextEncoder();

async function hmacHex(key: string, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Compares two strings in time that depends only on their lengths. */
function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1)
    difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

/**
 * Whether a submitted token is the configured one.
 *
 * @remarks
 * Both are hashed first with a random key, so the comparison takes the same time whatever their lengths.
 */
export async function tokenMatches(submitted: string, token: string): Promise<boolean> {
  const key = Array.from(crypto.getRandomValues(new Uint8Array(16)), String).join('.');
  return sameString(await hmacHex(key, submitted), await hmacHex(key, token));
}

/**
 * The cookie value of a new session: `<issuedAtMs>.<hex HMAC-SHA256(token, "velocity-dashboard-session:<issuedAtMs>")>`.
 *
 * @param nowMs - the issue time, ms since the epoch
 */
export async function createSession(token: string, nowMs: number): Promise<string> {
  const issuedAt = String(Math.floor(nowMs));
  return `${issuedAt}.${await hmacHex(token, `velocity-dashboard-session:${issuedAt}`)}`;
}

/**
 * Whether a cookie value is a session made with `token` that has not expired.
 *
 * @param nowMs - the current time, ms since the epoch
 */
export async function verifySession(
  value: string | undefined,
  token: string,
  nowMs: number,
): Promise<boolean> {
  const match = /^(\d{1,15})\.([0-9a-f]{64})$/.exec(value ?? '');
  if (match === null) return false;
  const issuedAt = Number(match[1]);
  if (issuedAt > nowMs + 60_000 || nowMs - issuedAt > SESSION_MAX_AGE_S * 1000) return false;
  return sameString(await createSession(token, issuedAt), `${match[1]}.${match[2]}`);
}
