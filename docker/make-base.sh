#!/usr/bin/env bash
# Makes the base image of the Edge image without any registry: a root filesystem holding this
# machine's Node runtime and the shared libraries that it and the project's native addons
# (better-sqlite3) load, imported with `docker import`. The Edge image copies node_modules
# built on this machine, so the base must carry this machine's Node and glibc, not any other.
#
#   docker/make-base.sh [TAG]          (default edgeproof-base:node20)
#
# Laid out like the official node images (node in /usr/local/bin, a `node` user with uid
# 1000, NODE_VERSION in the environment), so the Dockerfile also builds FROM node:20-slim
# where a registry is reachable.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-edgeproof-base:node20}
node_bin=$(readlink -f "$(command -v node)")
node_version=$(node --version)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

# Every ELF file that will run in the image: node itself and each compiled addon.
elves=("$node_bin")
while IFS= read -r -d '' addon; do elves+=("$addon"); done < <(find -L node_modules -name '*.node' -type f -print0 2>/dev/null)

# ldd prints `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` and `/lib64/ld-linux-x86-64.so.2 (0x…)`;
# each library goes to the path the loader found it at, as a regular file.
libraries=$(for elf in "${elves[@]}"; do ldd "$elf" 2>/dev/null || true; done | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
if [ -z "$libraries" ]; then
  echo "make-base: ldd found no libraries for $node_bin" >&2
  exit 1
fi
for lib in $libraries; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/etc" "$root/home/node"
install -d -m 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000::/home/node:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
# The loader's cache, so libraries are found wherever this machine's glibc keeps them.
printf '%s\n' $(printf '%s\n' $libraries | xargs -n1 dirname | sort -u) >"$root/etc/ld.so.conf"
ldconfig -r "$root"

# Owned by root but /home/node, as in the official images; --numeric-owner so the build
# machine's user names do not matter.
tar --numeric-owner --owner=0 --group=0 --exclude=./home/node -C "$root" -cf "$root.tar" .
tar --numeric-owner --owner=1000 --group=1000 -C "$root" -rf "$root.tar" ./home/node
trap 'rm -rf "$root" "$root.tar"' EXIT

previous=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
docker import \
  --change "ENV PATH=/usr/local/bin:/usr/bin:/bin" \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'CMD ["node"]' \
  "$root.tar" "$tag" >/dev/null

# The image is only good if node starts in it (the Edge image's build checks the addons load).
docker run --rm --user node "$tag" node -e 'process.stdout.write(process.version)' | grep -qx "$node_version" || {
  echo "make-base: node does not start in $tag" >&2
  exit 1
}
# The image this one replaces, unless an Edge image still builds on it.
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$tag")" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi
echo "make-base: $tag holds node $node_version ($(du -sh "$root" | cut -f1))"
