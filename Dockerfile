# syntax=docker/dockerfile:1.7
# Build stage: compile TypeScript with the full toolchain.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY dev ./dev
RUN npm run build

# The upstream simulators, for `docker compose` demos only; never part of the gateway image.
FROM node:24-bookworm-slim AS simulators
WORKDIR /app
COPY package.json ./
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/dev/simulators/main.js"]

# Runtime stage (the default target): production dependencies and the gateway's compiled code only,
# as the unprivileged `node` user.
FROM node:24-bookworm-slim AS runtime
# Fewer malloc arenas, a fixed mmap threshold and a bounded old generation keep
# RSS close to what the process really uses: 2 x 100k sub-orgs run within
# 500 MB (docs/benchmarks.md). glibc's moving mmap threshold let freed ~100 KB
# page buffers fragment its heap; fixed thresholds stop that. They sit above
# zstd's 880 KB per-call workspace: below it, or with the freed workspace
# trimmed off the heap's top, every compressed page paid a fresh mapping and
# its page faults, 2-6x the compression's CPU (docs/decisions.md).
# Raise the heap with the container's memory for larger
# tenants. V8 sizes the young generation from the old one; under a 384 MB cap
# it was so small that a cold walk's page objects kept being promoted: 16 MB
# cut its CPU by about 15 %.
ENV NODE_ENV=production \
    PORT=3000 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=1048576 \
    MALLOC_TRIM_THRESHOLD_=4194304 \
    NODE_OPTIONS="--max-old-space-size=384 --max-semi-space-size=16"
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# No secrets here: INVENT_API_KEY, BV_ACCESS_TOKEN and API_KEYS come from the environment at run time.
CMD ["node", "dist/src/main.js"]
