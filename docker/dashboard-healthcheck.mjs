#!/usr/bin/env node
/**
 * The dashboard image's HEALTHCHECK: exits 0 when `GET /login` (the one page that needs no session) answers
 * 200 within 4 s, else 1. The port is the one `VELOCITY_DASHBOARD_LISTEN` names (3100 by default); the
 * request goes to 127.0.0.1, which a container's 0.0.0.0 listener answers.
 *
 * @module
 */
/* global fetch, AbortSignal -- Node 20 globals that eslint.config.js does not list for .mjs files. */
const listen = process.env.VELOCITY_DASHBOARD_LISTEN ?? '';
const port = /:(\d+)$/.exec(listen)?.[1] ?? '3100';

try {
  const response = await fetch(`http://127.0.0.1:${port}/login`, {
    signal: AbortSignal.timeout(4000),
  });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
