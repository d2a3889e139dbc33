/**
 * The guard in front of every page and API route: without a valid session, pages redirect to `/login` and
 * API routes answer 401. Pages and route handlers check again themselves (`requireLogin`).
 *
 * @module
 */
import { NextResponse, type NextRequest } from 'next/server';
import { loadDashboardConfig } from './lib/config';
import { SESSION_COOKIE, verifySession } from './lib/session';

/** Lets logged-in requests through. */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { config } = await loadDashboardConfig();
  const token = config.dashboard.token;
  if (
    token === undefined ||
    (await verifySession(request.cookies.get(SESSION_COOKIE)?.value, token, Date.now()))
  )
    return NextResponse.next();
  if (request.nextUrl.pathname.startsWith('/api/'))
    return NextResponse.json({ error: 'Not logged in. Log in at /login.' }, { status: 401 });
  return NextResponse.redirect(new URL('/login', request.url));
}

export const config = {
  // Everything but the login page and Next's static assets.
  matcher: ['/((?!login|_next/static|_next/image|favicon.ico).*)'],
};
