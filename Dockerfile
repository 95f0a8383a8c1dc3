# syntax=docker/dockerfile:1
# Flag Alerts: the app on Node 20, data under the one volume /data.
# Docker cannot build on the machine this was written on, so the steps are exactly the commands CI and the tests run
# (`npm ci`, `npm run build`, `node dist/src/main.js`), plus `npm ci --omit=dev` and making the data directory;
# test/container/dockerfile.test.ts holds every RUN and CMD line to that list and to package.json's scripts.

# Build: every dependency (TypeScript is a dev dependency) and the compiled dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# Production dependencies only: the same lockfile, without the dev dependencies.
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    DATABASE_URL=file:/data/flag-alerts.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY bin ./bin
# The image's own unprivileged user (uid 1000, "node") owns the data volume; the code stays root's, read-only to it.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# Readiness, not liveness: 200 only when the database answers, migrations are current and the workers run, and 503
# from the moment a shutdown starts.
# The slim image has no curl; Node's own fetch asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
