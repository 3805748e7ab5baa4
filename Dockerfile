# credit-tray serve in a container: Node 20 slim, a non-root user, a health check on /healthz.
#   docker build -t credit-tray .
#   docker run -d -p 9464:9464 -v credit-tray:/data \
#     -v "$PWD/secrets:/run/secrets:ro" credit-tray
# with secrets/openai-admin-key and secrets/credit-tray-read-token (see the README).

# Build the CLI bundle. --ignore-scripts: no Electron binary download and no keytar build;
# the server reads the Admin key from a file, never from a keychain.
FROM node:20-slim AS build
WORKDIR /src
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npx electron-vite build

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    CREDIT_TRAY_HOME=/data \
    OPENAI_ADMIN_KEY_FILE=/run/secrets/openai-admin-key
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /src/out/main ./out/main
RUN mkdir -p /data && chown node:node /data
# The image's unprivileged `node` user (uid 1000).
USER node
VOLUME ["/data"]
EXPOSE 9464
# slim has no curl: Node's own fetch checks the open /healthz endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "out/main/cli.js"]
CMD ["serve", "--listen", "0.0.0.0:9464", "--token-file", "/run/secrets/credit-tray-read-token"]
