import t from 'tap';
import {
  createSession,
  SESSION_MAX_AGE_S,
  tokenMatches,
  verifySession,
} from '../../src/lib/session.js';

const TOKEN = 'dashboard-token-0123456789';
const NOW = 1_800_000_000_000;

t.test('a session is an HMAC of its issue time, never the token', async (t) => {
  const session = await createSession(TOKEN, NOW);
  t.match(session, /^1800000000000\.[0-9a-f]{64}$/);
  t.notMatch(session, TOKEN);
  t.equal(await verifySession(session, TOKEN, NOW + 1000), true);
});

t.test('a session made with another token, tampered with, or expired is refused', async (t) => {
  const session = await createSession(TOKEN, NOW);
  t.equal(await verifySession(session, 'another-token-0123456789', NOW), false);
  t.equal(
    await verifySession(
      session.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      TOKEN,
      NOW,
    ),
    false,
  );
  t.equal(await verifySession(`${NOW + 1}${session.slice(13)}`, TOKEN, NOW), false);
  t.equal(await verifySession(session, TOKEN, NOW + SESSION_MAX_AGE_S * 1000 + 1), false);
  t.equal(
    await verifySession(await createSession(TOKEN, NOW + 120_000), TOKEN, NOW),
    false,
    'future',
  );
  t.equal(await verifySession(undefined, TOKEN, NOW), false);
  t.equal(await verifySession('garbage', TOKEN, NOW), false);
});

t.test('tokenMatches compares the whole token', async (t) => {
  t.equal(await tokenMatches(TOKEN, TOKEN), true);
  t.equal(await tokenMatches(TOKEN.slice(0, -1), TOKEN), false);
  t.equal(await tokenMatches('', TOKEN), false);
});
