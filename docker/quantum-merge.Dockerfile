# syntax=docker/dockerfile:1
# Quantum Merge, one image for both halves: `serve` (webhooks + JSON API, plus workers unless --no-worker)
# and `worker` (job workers against the shared Redis). docker/compose.yaml runs one of each.
#
#   docker build -f docker/quantum-merge.Dockerfile -t velocity/quantum-merge:local .
#   docker run --env-file velocity.env -p 127.0.0.1:3000:3000 velocity/quantum-merge:local serve
#   docker run --env-file velocity.env velocity/quantum-merge:local worker
#
# Configuration comes from VELOCITY_QUANTUM_MERGE_* variables (or a velocity.yaml named by VELOCITY_CONFIG);
# secrets are best passed as files: VELOCITY_QUANTUM_MERGE_WEBHOOK_SECRET='${file:/run/secrets/webhook-secret}'.
# The image listens on 0.0.0.0:3000: inside a container 127.0.0.1 (the default) is unreachable from outside.
#
# The executable needs nothing but glibc and libstdc++, so the final image is distroless: no shell, no git.
# That covers the default executor (github) and speculativeCommits: api; the local executor and
# speculativeCommits: git run git and need an image of your own that has it.
#
# No HEALTHCHECK: the image has no shell or HTTP client to probe GET /healthz with, and quantum-merge has no
# health subcommand. Probe http://HOST:3000/healthz from outside (200 when Redis answers, else 503), e.g. a
# Kubernetes httpGet probe.

# Build stage: the official Node.js image, whose node binary has the SEA fuse the bundle script injects into.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY packages/core/package.json packages/core/
COPY packages/quantum-merge/package.json packages/quantum-merge/
RUN npm ci --workspace @velocity/quantum-merge --include-workspace-root
COPY tsconfig.base.json ./
COPY scripts/bundle.mjs scripts/
COPY packages/core packages/core
COPY packages/quantum-merge packages/quantum-merge
RUN npm run build --workspace @velocity/quantum-merge

# Final stage: glibc and libstdc++ only, with a non-root user (65532) and its home.
FROM gcr.io/distroless/cc-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="quantum-merge" \
      org.opencontainers.image.description="Quantum Merge: a speculative merge queue as a GitHub App, on Redis and BullMQ." \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /src/packages/quantum-merge/dist/bin/quantum-merge /quantum-merge
ENV VELOCITY_QUANTUM_MERGE_LISTEN=0.0.0.0:3000
# quantumMerge.workDir (.quantum-merge) is relative to the working directory: the user's writable home.
WORKDIR /home/nonroot
USER 65532:65532
EXPOSE 3000
ENTRYPOINT ["/quantum-merge"]
CMD ["serve"]
