#!/usr/bin/env bash
# Builds the Edge image from the working tree, in three layers of images, each made only when
# what it holds changed:
#   1. the base (docker/make-base.sh): this machine's Node; remade when `node --version` differs;
#   2. edgeproof-deps:<key>: the base plus production-only node_modules, copied from this
#      machine's (better-sqlite3 is the one built here: no registry is reachable from inside a
#      build); the key covers Node, the base and the installed tree (node_modules/.package-lock.json);
#   3. IMAGE: the deps image plus the sources as the working tree has them.
# All three use the one Dockerfile (its COPY adds whatever the context holds), so a change of
# sources sends a few MB to Docker, not the dependencies. Ends by loading the native addon.
#
#   docker/build-image.sh [IMAGE] [BASE]      (defaults edgeproof:dev, edgeproof-base:node20)
#   npm run image
set -euo pipefail
cd "$(dirname "$0")/.."

image=${1:-edgeproof:dev}
base=${2:-edgeproof-base:node20}

if ! docker info >/dev/null 2>&1; then
  echo "build-image: no Docker engine answers (start one: bash docker/start-engine.sh; docs/container.md)" >&2
  exit 1
fi
if [ ! -d node_modules ]; then
  echo "build-image: no node_modules here; run npm ci first" >&2
  exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Docker 28's client without buildx warns that the classic builder is deprecated; it is the
# one Debian's docker.io has.
build() { # context, base, tag
  docker build --quiet --build-arg "BASE=$2" --tag "$3" "$1" 2> >(grep -v -i 'deprecated\|legacy builder\|buildx\|BuildKit' >&2) >/dev/null
}

# 1. The base.
base_node=$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$base" 2>/dev/null | sed -n 's/^NODE_VERSION=//p')
if [ "$base_node" != "$(node --version)" ]; then
  bash docker/make-base.sh "$base"
fi

# 2. The dependencies.
installed=node_modules/.package-lock.json
[ -f "$installed" ] || installed=package-lock.json
key=$({ node --version; docker image inspect --format '{{.Id}}' "$base"; cat "$installed"; } | sha256sum | cut -c1-12)
deps="edgeproof-deps:$key"
if ! docker image inspect "$deps" >/dev/null 2>&1; then
  mkdir "$stage/deps"
  cp Dockerfile .dockerignore package.json package-lock.json "$stage/deps/"
  # Hard links when the stage is on the same file system (no data copied); npm prune only
  # unlinks, but it rewrites the hidden lockfile, so that one must not be a link to ours.
  cp -al node_modules/. "$stage/deps/node_modules" 2>/dev/null || cp -a node_modules/. "$stage/deps/node_modules"
  rm -f "$stage/deps/node_modules/.package-lock.json"
  (cd "$stage/deps" && npm prune --omit=dev --offline --no-audit --no-fund --loglevel=error >/dev/null)
  build "$stage/deps" "$base" "$deps"
  # Older dependency images, unless an image still builds on them.
  docker image ls --format '{{.Repository}}:{{.Tag}}' edgeproof-deps | grep -vx "$deps" | xargs -r docker image rm >/dev/null 2>&1 || true
fi

# 3. The sources as the working tree has them (uncommitted changes included, ignored files
# not); .dockerignore keeps what the image runs.
mkdir "$stage/app"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -C "$stage/app" -xf -
# The web UI, built here (Vite is a development dependency the image does not hold) when stale;
# ui/dist is ignored by git, so it is copied on its own (decision 0026).
node --import tsx ui/build.ts
cp -a ui/dist "$stage/app/ui/dist" 2>/dev/null || { mkdir -p "$stage/app/ui" && cp -a ui/dist "$stage/app/ui/dist"; }
previous=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
build "$stage/app" "$deps" "$image"
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$image")" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi

docker run --rm --entrypoint node "$image" -e "new (require('better-sqlite3'))(':memory:').close()"
echo "build-image: $image built on $deps on $base ($(docker image inspect --format '{{.Size}}' "$image" | awk '{ printf "%d MB", $1 / 1e6 }'))"
