import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { loadDashboardConfig } from './config';
import { SESSION_COOKIE, verifySession } from './session';

/**
 * Whether this request is logged in; always true when no `dashboard.token` is configured (the dashboard is
 * then open, as the config schema documents).
 */
export async function isLoggedIn(): Promise<boolean> {
  const { config } = await loadDashboardConfig();
  const token = config.dashboard.token;
  if (token === undefined) return true;
  return verifySession((await cookies()).get(SESSION_COOKIE)?.value, token, Date.now());
}

/**
 * Redirects to `/login` unless logged in: the data layer's own check, behind the proxy's.
 * @see https://nextjs.org/docs/app/guides/authentication#creating-a-data-access-layer-dal
 */
export async function requireLogin(): Promise<void> {
  if (!(await isLoggedIn())) redirect('/login');
}
