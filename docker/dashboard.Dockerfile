# syntax=docker/dockerfile:1
# The Velocity dashboard (Next.js), started the way its tests start it: bin/velocity-dashboard.ts under tsx,
# which runs `next start` on dashboard.listen. docker/compose.yaml runs it beside Quantum Merge and Redis.
#
#   docker build -f docker/dashboard.Dockerfile -t velocity/dashboard:local .
#   docker run -p 127.0.0.1:3100:3100 -e VELOCITY_DASHBOARD_QUANTUM_MERGE_URL=http://HOST:3000 \
#     velocity/dashboard:local
#
# Configuration: VELOCITY_DASHBOARD_* variables, or a velocity.yaml mounted at /app/velocity.yaml (found by
# searching up from the working directory) or named by VELOCITY_CONFIG. Secrets as files:
# VELOCITY_DASHBOARD_TOKEN='${file:/run/secrets/dashboard-token}'.
#
# What runs: node with the tsx loader, the workspace's production node_modules, the sources of the workspace
# packages the dashboard depends on (exported as TypeScript; Next bundles them into .next, and the start
# script imports @velocity/core itself), the built .next without its build cache, and the dep-ci executable
# for the import graph page, at its workspace path (packages/dep-ci/dist/bin/dep-ci). git is there because
# dep-ci asks git for a repository's files.

# Build stage: everything `npm run build` needs for dep-ci (ncc + SEA) and the dashboard (next build).
# WORKDIR matches the final stage: Next writes absolute paths into some of .next's manifests.
FROM node:20-bookworm-slim AS build
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/core/package.json packages/core/
COPY packages/dashboard/package.json packages/dashboard/
COPY packages/dep-ci/package.json packages/dep-ci/
COPY packages/livepatch-agent/package.json packages/livepatch-agent/
COPY packages/livepatch-cli/package.json packages/livepatch-cli/
COPY packages/quantum-merge/package.json packages/quantum-merge/
RUN npm ci --workspace @velocity/dashboard --workspace @velocity/dep-ci --include-workspace-root
COPY tsconfig.base.json ./
COPY scripts/bundle.mjs scripts/
COPY packages packages
# On Node 20 `next start` compiles next.config.ts with SWC, a ~100 MB native package needed for nothing
# else at run time; the same config compiled once here to next.config.mjs is loaded by Node as it is.
RUN npm run build --workspace @velocity/dep-ci --workspace @velocity/dashboard \
 && node_modules/.bin/esbuild packages/dashboard/next.config.ts --format=esm --platform=node \
      --target=node20 --log-level=warning --outfile=packages/dashboard/next.config.mjs \
 && rm -rf packages/dashboard/.next/cache packages/dashboard/.next/trace packages/dashboard/.next/types

# Production dependencies only, from the lockfile. Only the workspaces the dashboard runs with are present:
# npm links every workspace it finds, and a linked workspace's dependencies are installed even when the
# dashboard lists it under devDependencies (@velocity/quantum-merge, imported for types only).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/core/package.json packages/core/
COPY packages/dashboard/package.json packages/dashboard/
COPY packages/livepatch-agent/package.json packages/livepatch-agent/
COPY packages/livepatch-cli/package.json packages/livepatch-cli/
RUN npm ci --omit=dev --workspace @velocity/dashboard \
 && rm -rf node_modules/@next/swc-*

FROM node:20-bookworm-slim
ARG VERSION=dev
LABEL org.opencontainers.image.title="velocity-dashboard" \
      org.opencontainers.image.description="Velocity dashboard: merge queues, LivePatch agents and import graphs, live." \
      org.opencontainers.image.version="${VERSION}"
# Debian's current git; pinning an exact version breaks the build whenever a security update replaces it.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    VELOCITY_DASHBOARD_LISTEN=0.0.0.0:3100 \
    VELOCITY_DASHBOARD_DEP_CI_PATH=/app/packages/dep-ci/dist/bin/dep-ci
WORKDIR /app
COPY --from=deps /app ./
COPY tsconfig.base.json ./
COPY packages/core/src packages/core/src
COPY packages/livepatch-agent/src packages/livepatch-agent/src
COPY packages/livepatch-cli/src packages/livepatch-cli/src
COPY packages/dashboard/tsconfig.json packages/dashboard/
COPY packages/dashboard/bin packages/dashboard/bin
COPY packages/dashboard/src packages/dashboard/src
COPY --from=build /app/packages/dashboard/next.config.mjs packages/dashboard/
COPY --from=build /app/packages/dashboard/.next packages/dashboard/.next
COPY --from=build /app/packages/dep-ci/dist/bin/dep-ci packages/dep-ci/dist/bin/dep-ci
COPY docker/dashboard-healthcheck.mjs /app/healthcheck.mjs
# Everything stays root-owned and read-only to the server except Next's run-time cache.
RUN mkdir packages/dashboard/.next/cache \
 && chown 1000:1000 packages/dashboard/.next/cache
# uid 1000 is the image's "node" user.
USER 1000:1000
WORKDIR /app/packages/dashboard
EXPOSE 3100
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/healthcheck.mjs"]
# The package's start script (`tsx bin/velocity-dashboard.ts`) as the e2e tests run it: node with the tsx
# loader, without npm or tsx's relaying parent process in between, so SIGTERM reaches the script, which
# passes it on to `next start`.
ENTRYPOINT ["node", "--import", "tsx", "bin/velocity-dashboard.ts"]
