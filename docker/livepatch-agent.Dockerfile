# syntax=docker/dockerfile:1
# The LivePatch agent as an image of its own: run it as a sidecar that shares the app's volume
# (and, on Kubernetes, its process namespace: shareProcessNamespace: true, for reload signals).
#
#   docker build -f docker/livepatch-agent.Dockerfile -t velocity/livepatch-agent:local .
#   docker run --user "$(id -u):$(id -g)" -v app-src:/app -v "$PWD/.velocity/certs:/certs:ro" \
#     -p 127.0.0.1:7420:7420 velocity/livepatch-agent:local --root /app --listen 0.0.0.0:7420 --certs /certs
#
# The agent is one executable (Node.js single-executable application); the final image holds it and the
# C runtime it links against, nothing else: no shell, no package manager.
#
# It runs as uid 65532 (distroless "nonroot") unless told otherwise. Run it as the uid that owns the app's
# files instead (docker run --user, Kubernetes securityContext.runAsUser): the agent writes into the app's
# volume, reads server-key.pem (mode 0600, owned by whoever ran `livepatch certs init`), and a reload signal
# only reaches a process of the same uid.
#
# No HEALTHCHECK: the image has no shell or client to run one, and the agent answers only mutual-TLS gRPC.
# A TCP probe on the port (Kubernetes tcpSocket) shows it is listening.

# Build stage: the official Node.js image, whose node binary has the SEA fuse the bundle script injects into.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY packages/core/package.json packages/core/
COPY packages/livepatch-agent/package.json packages/livepatch-agent/
RUN npm ci --workspace @velocity/livepatch-agent --include-workspace-root
COPY tsconfig.base.json ./
COPY scripts/bundle.mjs scripts/
COPY packages/core packages/core
COPY packages/livepatch-agent packages/livepatch-agent
RUN npm run build --workspace @velocity/livepatch-agent

# Final stage: glibc and libstdc++ only, with a non-root user (65532) and its home.
FROM gcr.io/distroless/cc-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="livepatch-agent" \
      org.opencontainers.image.description="LivePatch agent: applies binary deltas from livepatch sync atomically and hot-reloads the app." \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /src/packages/livepatch-agent/dist/bin/livepatch-agent /livepatch-agent
USER 65532:65532
EXPOSE 7420
ENTRYPOINT ["/livepatch-agent"]
CMD ["--help"]
