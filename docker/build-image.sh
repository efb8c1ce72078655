#!/usr/bin/env bash
# Builds the Edge image from the working tree: makes the base image first when it is missing
# or holds another Node than this machine's, stages a build context with production-only
# node_modules (copied from this machine's, so better-sqlite3 is the one built here: no
# registry is reachable from inside a build), builds, and checks the native addon loads.
#
#   docker/build-image.sh [IMAGE] [BASE]      (defaults edgeproof:dev, edgeproof-base:node20)
#   npm run image
#
# Fast when nothing changed: Docker's layer cache keeps the COPY of an unchanged context.
set -euo pipefail
cd "$(dirname "$0")/.."

image=${1:-edgeproof:dev}
base=${2:-edgeproof-base:node20}

if ! docker info >/dev/null 2>&1; then
  echo "build-image: no Docker engine answers (start one: dockerd &, or see docs/container.md)" >&2
  exit 1
fi
if [ ! -d node_modules ]; then
  echo "build-image: no node_modules here; run npm ci first" >&2
  exit 1
fi

base_node=$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$base" 2>/dev/null | sed -n 's/^NODE_VERSION=//p')
if [ "$base_node" != "$(node --version)" ]; then
  bash docker/make-base.sh "$base"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# The sources as the working tree has them (uncommitted changes included, ignored files not);
# .dockerignore then keeps what the image runs.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -C "$stage" -xf -
# Hard links when the stage is on the same file system (no data copied); npm prune only unlinks,
# but it rewrites the hidden lockfile, so that one must not be a link to the working tree's.
cp -al node_modules/. "$stage/node_modules" 2>/dev/null || cp -a node_modules/. "$stage/node_modules"
rm -f "$stage/node_modules/.package-lock.json"
(cd "$stage" && npm prune --omit=dev --offline --no-audit --no-fund --loglevel=error >/dev/null)

# Docker 28's client without buildx prints a deprecation notice for the classic builder, which
# is what builds here (no BuildKit component is installed with Debian's docker.io).
docker build --quiet --build-arg "BASE=$base" --tag "$image" "$stage" 2> >(grep -v -i 'deprecated\|legacy builder\|buildx\|BuildKit' >&2) >/dev/null
docker run --rm --entrypoint node "$image" -e "new (require('better-sqlite3'))(':memory:').close()"
echo "build-image: $image built on $base ($(docker image inspect --format '{{.Size}}' "$image" | awk '{ printf "%d MB", $1 / 1e6 }'))"
