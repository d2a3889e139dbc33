import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { template: '%s · Velocity', default: 'Velocity' },
  description: 'Velocity dashboard: the import graph, LivePatch agents and merge queues, live.',
};

/** The document shell of every page. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
