FROM node:20-bookworm-slim
WORKDIR /app

# `npm ci` runs the package's postinstall (`prisma generate`), which reads the schema, the Prisma
# config and scripts/, so those are copied first; the rest comes after so that source edits do not
# invalidate the cached dependency layer. Dev dependencies are kept: the Prisma CLI is one of them.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
# npm install rather than npm ci: see .ci/run (the lock file cannot list every platform's optional binaries).
RUN npm install --no-audit --no-fund && npm cache clean --force

COPY . .
# Without DATABASE_URL the server keeps embedded PGlite data here, so the unprivileged user must own it.
RUN mkdir -p /app/data && chown node:node /app/data

ENV NODE_ENV=production
USER node
EXPOSE 4000
CMD ["npm", "start"]
