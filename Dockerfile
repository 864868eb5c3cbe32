# Build stage: compiles TypeScript and the better-sqlite3 native module, then drops what only the
# build needs. Node 24 (active LTS) in both stages.
FROM node:24-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall applies these fixes to dependencies (patch-package; README, "PostgreSQL")
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Production dependencies only (no tsx/esbuild, TypeScript, test tools); of better-sqlite3 only the
# addon it loads (build/Release/better_sqlite3.node, stripped), not its object files, static library,
# test extension and C sources; no type declarations, TypeScript sources or source maps of packages
# (Node never loads them). The compiled CLI is executable: /usr/local/bin/dateline links to it.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
 && cd node_modules/better-sqlite3 && mv build/Release/better_sqlite3.node /tmp/ \
 && rm -rf build deps src && mkdir -p build/Release && mv /tmp/better_sqlite3.node build/Release/ \
 && strip --strip-unneeded build/Release/better_sqlite3.node \
 && cd /app && rm -rf node_modules/@types \
 && find node_modules -type f \( -name '*.ts' -o -name '*.cts' -o -name '*.mts' -o -name '*.map' \) -delete \
 && chmod 755 dist/cli/index.js

# Runtime stage: the compiled app, production dependencies and migrations; runs as non-root.
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATABASE_PATH=/data/dateline.db
WORKDIR /app
COPY package.json ./
COPY migrations ./migrations
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN ln -s /app/dist/cli/index.js /usr/local/bin/dateline && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Kept by Docker; podman and buildah keep it only when building with --format docker (README).
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.js"]
