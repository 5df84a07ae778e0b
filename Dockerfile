# access-review: one run per container start (Kubernetes CronJob, ECS scheduled task) or `schedule` mode.
# Node 26 is the active LTS (since 2026-10-28); AWS SDK releases after early January 2027 require Node 22+.
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .puppeteerrc.cjs tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
COPY data ./data
# "prepare" compiles src/ to dist/ during npm ci.
RUN npm ci --no-audit --no-fund

FROM node:26-bookworm-slim
# Debian's chromium prints the PDF; puppeteer's own browser download is disabled (.puppeteerrc.cjs).
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    CHROMIUM_PATH=/usr/bin/chromium \
    ACCESS_REVIEW_OUT_DIR=/tmp/access-review \
    XDG_CONFIG_HOME=/tmp/.config \
    XDG_CACHE_HOME=/tmp/.cache
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY templates ./templates
COPY schemas ./schemas
COPY data ./data
# The image runs as the unprivileged "node" user; Chromium's own sandbox needs privileges a pod lacks, so
# the renderer starts it with --no-sandbox and with JavaScript and network disabled instead.
USER node
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/access-review.js"]
CMD ["run"]
