'use server';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { loadDashboardConfig } from './config';
import { createSession, SESSION_COOKIE, SESSION_MAX_AGE_S, tokenMatches } from './session';

/** What the login form shows after a failed attempt. */
export interface LoginState {
  readonly error: string | null;
}

/** Checks the submitted token and, when it matches, sets the session cookie and goes to the dashboard. */
export async function logIn(_previous: LoginState, form: FormData): Promise<LoginState> {
  const { config } = await loadDashboardConfig();
  const token = config.dashboard.token;
  const submitted = form.get('token');
  if (token !== undefined) {
    if (typeof submitted !== 'string' || !(await tokenMatches(submitted, token)))
      return { error: 'Wrong token. Use the value of dashboard.token (VELOCITY_DASHBOARD_TOKEN).' };
    (await cookies()).set(SESSION_COOKIE, await createSession(token, Date.now()), {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      maxAge: SESSION_MAX_AGE_S,
      // Secure whenever the page was served over HTTPS; on plain http://127.0.0.1 it would never come back.
      secure: (await headers()).get('origin')?.startsWith('https:') === true,
    });
  }
  redirect('/');
}

/** Ends the session. */
export async function logOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/login');
}
