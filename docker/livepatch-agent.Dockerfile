# The LivePatch agent as an image of its own: run it as a sidecar that shares the app's volume
# (and, on Kubernetes, its process namespace: shareProcessNamespace: true, for reload signals).
#
#   docker build -f docker/livepatch-agent.Dockerfile -t velocity/livepatch-agent .
#   docker run -v app-src:/app -v $PWD/.velocity/certs:/certs:ro -p 127.0.0.1:7420:7420 \
#     velocity/livepatch-agent --root /app --listen 0.0.0.0:7420 --certs /certs
#
# The agent is one executable (Node.js single-executable application); the final image holds it and the
# C runtime it links against, nothing else: no shell, no package manager.

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

# Final stage: glibc and libstdc++ only.
FROM gcr.io/distroless/cc-debian12
COPY --from=build /src/packages/livepatch-agent/dist/bin/livepatch-agent /livepatch-agent
EXPOSE 7420
ENTRYPOINT ["/livepatch-agent"]
CMD ["--help"]
