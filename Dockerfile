# syntax=docker/dockerfile:1
# The HouseCat app (`housecat serve`) with Debian's Chromium, for compose.yaml or any container host.
#   docker build -t housecat .
#   docker run --env-file .env -p 3000:3000 housecat
# Single-machine mode, no account (docs/up.md): the same image runs `housecat up` on a mounted
# definitions file, with REDIS_URL (the image has no redis-server) and the page on 7878:
#   docker run --rm -e REDIS_URL=redis://host:6379 -p 127.0.0.1:7878:7878 -v "$PWD/.github:/work/.github:ro" \
#     housecat node /app/bin/housecat.js up --config /work/.github/housecat.yml --host 0.0.0.0 --no-auth
# (or `docker compose --profile up up -d up`, see compose.yaml).
# Two stages: `build` compiles src/ with the devDependencies; the final image holds only the
# production dependencies, the compiled lib/, Chromium and tini.

ARG NODE_IMAGE=node:22-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile before the sources are copied; the next step does it.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
# Refresh the package lists first: a stale list installs an older Chromium that calls home mid-run.
# tini is PID 1: it forwards SIGTERM to node (so `serve` stops cleanly) and reaps Chromium's children.
# fonts-liberation: pages render with metric-compatible Arial/Times/Courier instead of boxes.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium tini fonts-liberation ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Chromium's own sandbox needs user namespaces, which Docker's default seccomp profile refuses to a
# process without CAP_SYS_ADMIN, so Chromium would not start as the non-root user below. The
# container is the sandbox here (non-root, no capabilities: see compose.yaml) with HouseCat's network
# guard in front of every page. To keep Chromium's sandbox too, run the container with a seccomp
# profile that allows user namespaces and delete this file (Debian's /usr/bin/chromium sources it).
RUN printf '%s\n' 'export CHROMIUM_FLAGS="$CHROMIUM_FLAGS --no-sandbox"' > /etc/chromium.d/housecat-container

ENV NODE_ENV=production \
    HOUSECAT_CHROMIUM=/usr/bin/chromium \
    PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY package.json app.yml ./
COPY bin ./bin
# The base image's unprivileged `node` user (uid 1000); nothing in /app is writable by it.
USER node
EXPOSE 3000
# Readiness (/readyz: Redis answers a PING within 1 s), not liveness (/healthz). Plain Docker and
# Compose never restart an "unhealthy" container; they only report it, and proxies that read it
# (Traefik, `depends_on: service_healthy`) stop sending it traffic: what readiness is for. A
# container that cannot reach Redis can do no work, so "unhealthy" is the true state. Kubernetes
# ignores HEALTHCHECK: give it livenessProbe /healthz and readinessProbe /readyz (README).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/housecat.js", "serve"]
