# syntax=docker/dockerfile:1
# Build stage: the same `npm ci` CI runs, then the TypeScript build, then drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: non-root, configured only by environment variables (README "Configuration").
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    MSIGN_TLS_PORT=8443 \
    DATA_DIR=/data \
    CERTS_DIR=/certs \
    FIXTURES_DIR=/app/fixtures \
    MALLOC_ARENA_MAX=2
# MALLOC_ARENA_MAX=2 (glibc): fewer malloc arenas for node's threads, ~8 MB less RSS at the 20 000-session bound
# (bench/RESULTS.md "Memory"); the V8 flags on CMD below are the same as `npm start`'s.
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
COPY fixtures ./fixtures
RUN mkdir -p /data /certs && chown node:node /data /certs
USER node
VOLUME ["/data", "/certs"]
EXPOSE 8080 8443
# GET /health on PORT, over TLS verified against the sandbox CA when PUBLIC_URL is https (src/healthcheck.ts).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "dist/src/healthcheck.js"]
CMD ["node", "--max-semi-space-size=1", "--optimize-for-size", "dist/src/main.js"]
