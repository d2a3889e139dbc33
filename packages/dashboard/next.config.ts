import type { NextConfig } from 'next';

const dev = process.env.NODE_ENV === 'development';

/**
 * Without per-request nonces (which would make every page dynamic) Next's inline bootstrap scripts need
 * `'unsafe-inline'`; `'unsafe-eval'` only for React's dev tooling.
 * @see https://nextjs.org/docs/app/guides/content-security-policy
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
  // React's style attributes and chart.js's canvas sizing set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const nextConfig: NextConfig = {
  // A second build directory lets a test build run beside a running server (`NEXT_DIST_DIR=.next-b`).
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // The workspace packages export TypeScript source.
  transpilePackages: ['@velocity/core', '@velocity/livepatch-cli', '@velocity/livepatch-agent'],
  // Loaded by Node at run time rather than bundled: native-ish packages that read files beside their code.
  serverExternalPackages: ['ioredis', '@grpc/grpc-js', 'pino', 'pino-pretty'],
  poweredByHeader: false,
  // `npm run typecheck` (tsc -p .) is the type gate, as in every package; checking again here would double the
  // build time on a 2-core CI machine.
  typescript: { ignoreBuildErrors: true },
  // The workspace packages import each other's TypeScript source as `./x.js` (NodeNext style); Turbopack cannot
  // map those to `.ts`, so builds use webpack (`next build --webpack`) with an extension alias.
  webpack(config: { resolve: { extensionAlias?: Record<string, string[]> } }) {
    config.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'] };
    return config;
  },
  headers() {
    return Promise.resolve([
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: CONTENT_SECURITY_POLICY },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ]);
  },
};

export default nextConfig;
