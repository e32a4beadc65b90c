# The API (and cpu workers): no CUDA. The addon is built for the cpu backend only (the API uses
# it to check networks before it queues them), without -march=native (the image runs elsewhere).
#   docker build -f deploy/api.Dockerfile -t trtfarm-api .
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake g++ make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:native -- --CDTRTFARM_NATIVE_ARCH=OFF --CDTRTFARM_CUDA=OFF --CDTRTFARM_TENSORRT=OFF \
 && mv native/build/Release/trtfarm.node /tmp/ && rm -rf native/build && mkdir -p native/build/Release \
 && mv /tmp/trtfarm.node native/build/Release/ \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
# The node image's unprivileged user; a named volume takes /data's owner, so it can write plans.
RUN mkdir -p /data && chown node:node /data
ENV HOST=0.0.0.0 \
    PORT=8080 \
    TRTFARM_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER node
CMD ["node", "--import", "tsx", "api/server.ts"]
