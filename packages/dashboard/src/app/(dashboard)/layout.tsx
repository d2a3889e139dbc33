import Link from 'next/link';
import type { ReactNode } from 'react';
import { logOut } from '@/lib/actions';
import { requireLogin } from '@/lib/auth';

// Every page reads live state and the session cookie.
export const dynamic = 'force-dynamic';

/** The signed-in shell: navigation and log out. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  await requireLogin();
  return (
    <>
      <header className="top">
        <strong>Velocity</strong>
        <nav>
          <Link href="/">Overview</Link>
          <Link href="/graph">Import graph</Link>
          <Link href="/livepatch">LivePatch</Link>
          <Link href="/merge-queue">Merge queue</Link>
        </nav>
        <form action={logOut}>
          <button className="link" type="submit">
            Log out
          </button>
        </form>
      </header>
      <main>{children}</main>
    </>
  );
}
