# access-review: one run per container start (Kubernetes CronJob, ECS scheduled task) or `schedule` mode.
# Node 26 is the active LTS (since 2026-10-28); AWS SDK releases after early January 2027 require Node 22+.
ARG NODE_IMAGE=node:26-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
COPY data ./data
# "prepare" compiles src/ to dist/ during npm ci; TypeScript and the other devDependencies stay in this stage.
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="access-review" \
      org.opencontainers.image.description="Permission-review reports on cross-account access in AWS" \
      org.opencontainers.image.source="https://github.com/example/access-review" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
# Debian's chromium prints the PDF (puppeteer-core downloads no browser of its own).
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    CHROMIUM_PATH=/usr/bin/chromium \
    ACCESS_REVIEW_OUT_DIR=/tmp/access-review \
    XDG_CONFIG_HOME=/tmp/.config \
    XDG_CACHE_HOME=/tmp/.cache
COPY package.json package-lock.json ./
# Runtime dependencies only: no TypeScript, vitest or type packages (the lock marks them dev-only).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY templates ./templates
COPY schemas ./schemas
COPY data ./data
# The image runs as the unprivileged "node" user; Chromium's own sandbox needs privileges a pod lacks, so
# the renderer starts it with --no-sandbox and with JavaScript and network disabled instead.
USER node
# --heap-growing-percent=50: after each full collection V8 lets the old generation grow to 1.5x what
# survived instead of up to 4x, so the collector's memory stays nearer what it holds (README "Performance at
# scale": 20 accounts x 400 roles peak at 258-267 MiB instead of 384-397, for ~10 % more collector CPU; x16
# events 6-11 % above x1 read unpaced, at most 0.5 % above at AWS's pace). --optimize-for-size was measured and not
# kept: +79 % collector CPU at 50 accounts for 2 % less memory (docs/performance.md). NODE_OPTIONS cannot
# carry these flags; the manifests' NODE_OPTIONS caps the heap.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--heap-growing-percent=50", "/app/bin/access-review.js"]
CMD ["run"]
