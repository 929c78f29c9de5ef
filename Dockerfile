# Production image: compiled JavaScript on Node, production dependencies only, unprivileged user.
#
# Node 24 is the newest LTS line ("Krypton"; 26 is not LTS yet). bookworm-slim (glibc) rather than
# alpine (musl): the lock file records the glibc builds of the native tools the build stage runs
# (@swc/core, esbuild), and the image then uses the same libc as CI. Nothing at run time is native
# (PGlite and Prisma's query compiler are WebAssembly), so the slim image needs no extra packages.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# `npm ci` runs the package's postinstall (`prisma generate` into src/generated), which reads the
# Prisma schema and config and scripts/: copied before the sources so that a source edit keeps the
# cached dependency layer.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# dist/ mirrors src/, including the generated Prisma client (TypeScript, compiled with the rest).
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Production dependencies only. --omit=optional as well: the Prisma CLI and TypeScript are our dev
# dependencies but also optional peers of @prisma/client, which the lock file marks "devOptional",
# kept unless both kinds are omitted (the only other optional package, pg-cloudflare, is for
# Cloudflare Workers). 134 MB of node_modules instead of 386 MB. --ignore-scripts: the one install
# script that matters, our postinstall (`prisma generate`), needs the Prisma CLI, and its output is
# already compiled into dist/.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The server applies pending migrations on start; src/db/migrate.ts finds them at ../../prisma from dist/db.
COPY prisma/migrations ./prisma/migrations
# Without DATABASE_URL the server keeps embedded PGlite data in ./data, so the unprivileged user owns it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
# Liveness from node itself (the slim image has no curl): the process answers and its database too.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (exec form, no npm or shell in between), so `docker stop`'s SIGTERM reaches
# the handler in src/main.ts, which stops accepting, lets running requests finish and closes the
# database before the 10 s grace period ends. No init process (tini) is needed: the server starts
# no child processes, so there are no zombies to reap, and it handles SIGTERM and SIGINT itself.
CMD ["node", "dist/main.js"]
