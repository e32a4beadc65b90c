# A GPU worker: the cuda backend compiled for the listed GPU architectures (no GPU is needed to
# build: "native" would ask the build machine's GPU), run on the CUDA runtime image. Node 20 is
# copied from the official Node image (same glibc generation or older than Ubuntu 24.04's).
#   docker build -f deploy/worker-cuda.Dockerfile --build-arg CUDA_ARCHITECTURES="80;90" -t trtfarm-worker-cuda .
ARG CUDA_VERSION=12.8.1
ARG UBUNTU=ubuntu24.04
FROM node:20-bookworm-slim AS node

FROM nvidia/cuda:${CUDA_VERSION}-devel-${UBUNTU} AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && apt-get update \
 && apt-get install -y --no-install-recommends cmake g++ make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
# sm_80 (A100, and by binary compatibility A10/L4/L40 of the same major) and sm_90 (H100, H200).
ARG CUDA_ARCHITECTURES="80;90"
RUN npm run build:native -- --CDTRTFARM_NATIVE_ARCH=OFF --CDTRTFARM_CUDA=ON "--CDTRTFARM_CUDA_ARCHITECTURES=${CUDA_ARCHITECTURES}" \
 && mv native/build/Release/trtfarm.node /tmp/ && rm -rf native/build && mkdir -p native/build/Release \
 && mv /tmp/trtfarm.node native/build/Release/ \
 && npm prune --omit=dev

FROM nvidia/cuda:${CUDA_VERSION}-runtime-${UBUNTU}
COPY --from=node /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=build /app /app
# The CUDA images have no "node" user: an unprivileged one of our own.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app trtfarm \
 && mkdir -p /data && chown trtfarm /data
ENV TRTFARM_DATA_DIR=/data
VOLUME /data
USER trtfarm
# Inside a container that was given one GPU, that GPU is index 0.
CMD ["node", "--import", "tsx", "worker/main.ts", "--device", "0"]
