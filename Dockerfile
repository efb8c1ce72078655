# The project's own Edge. No registry is needed: BASE is a local image holding the Node runtime
# the node_modules in the build context were built with (better-sqlite3 is native), made by
# docker/make-base.sh; docker/build-image.sh stages the contexts and builds this (docs/container.md).
#
#   docker run -p 8082:8082 -e EDGEPROOF_ADMIN_PASSWORD=… -v edge-data:/data edgeproof:dev
#
# The base has no shell, so every instruction below is in exec form.
ARG BASE=edgeproof-base:node20
FROM ${BASE}
# The base may be an earlier build of this file, which ends as node: build-image.sh layers the
# dependencies first and the sources on top, with this same file.
USER root

WORKDIR /app
# Owned by root and read-only to the Edge: it may write its data directory and nothing else.
COPY . /app
# The data directory belongs to the unprivileged user; a fresh volume mounted here takes the
# ownership from the image.
RUN ["node", "-e", "fs.mkdirSync('/data', { recursive: true }); fs.chownSync('/data', 1000, 1000)"]
USER node
VOLUME /data
EXPOSE 8082
# node, not npm, as PID 1: `edgeproof serve` stops cleanly on the SIGTERM of `docker stop`.
# The admin password comes from EDGEPROOF_ADMIN_PASSWORD (or is generated and printed in the
# log on the first start); every other setting from its EDGEPROOF_* variable (docs/container.md).
# The process environment of edge/startup/process-env.ts (issue #13, decisions 0029, 0030): keep them equal.
ENV MALLOC_MMAP_THRESHOLD_=131072 MALLOC_ARENA_MAX=2 NODE_OPTIONS=--max-semi-space-size=2
ENTRYPOINT ["node", "bin/edgeproof.js"]
CMD ["serve", "--host", "0.0.0.0", "--data-dir", "/data"]
# No curl or wget in the base: node asks the ping endpoint itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.EDGEPROOF_PORT || 8082}/artifactory/api/system/ping`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
