# erp-bridge worker image: built JavaScript on Node 20, production dependencies only, a non-root user.
#   docker build -t erp-bridge .
#   docker run --env-file .env erp-bridge            # see README "Run on your own Temporal"
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production \
    ERP_BRIDGE_METRICS_ADDRESS=0.0.0.0:9464
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY schemes ./schemes
COPY deploy/container/start.sh ./deploy/container/start.sh
# The embedded state store (only without ERP_BRIDGE_DATABASE_URL) writes under /app/.data.
RUN mkdir -p /app/.data && chown -R node:node /app/.data
USER node
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:9464/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Longer than KINGDEE_TIMEOUT_MS + 15 s, so a stopping container never cuts a write: docker stop -t 150.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/deploy/container/start.sh"]
