# The winnow image: `winnow` is its entry point (docker run winnow run pipelines/dry-run.yaml).
# Cluster jobs run `winnow task <phase> --run <dir>` in it (docs/cluster.md). Build it from the
# repository's root: docker build -t winnow .
FROM node:20-bookworm-slim AS build
WORKDIR /opt/winnow
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY bench ./bench
RUN node node_modules/typescript/bin/tsc -p tsconfig.json && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM node:20-bookworm-slim
WORKDIR /opt/winnow
ENV NODE_ENV=production
COPY --from=build /opt/winnow/node_modules ./node_modules
COPY --from=build /opt/winnow/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY rules ./rules
COPY pipelines ./pipelines
COPY fixtures ./fixtures
RUN ln -s /opt/winnow/bin/winnow.js /usr/local/bin/winnow && chmod +x /opt/winnow/bin/winnow.js
ENTRYPOINT ["node", "/opt/winnow/bin/winnow.js"]
CMD ["--help"]
