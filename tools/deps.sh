#!/usr/bin/env bash
# Installs and builds everything nnplay needs, idempotently: Debian packages, npm packages,
# and Dear ImGui + SDL2 (wasm) from Debian source packages, cached outside the tree by version.
# Usage: tools/deps.sh [native|web|test|bench]...   (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NNPLAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nnplay}
IMGUI_VER=1.86
SDL_VER=2.26.5
want=${*:-all}
has() { [[ " $want " == *" all "* || " $want " == *" $1 "* ]]; }
say() { printf '[deps] %s\n' "$*" >&2; }
die() { printf '[deps] error: %s\n' "$*" >&2; exit 1; }

sudo_=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: install packages by hand: $*"
  sudo_=sudo
fi

apt_updated=0
apt_update() {
  [ $apt_updated = 1 ] && return
  say "apt-get update"
  if ! $sudo_ apt-get update -qq >/tmp/nnplay-apt-update.log 2>&1 || grep -qE '^(W|E): Failed to fetch' /tmp/nnplay-apt-update.log; then
    cat /tmp/nnplay-apt-update.log >&2
    die "cannot reach Debian's package registry (no network?); see the apt-get messages above"
  fi
  apt_updated=1
}

need_pkgs() {  # installs the Debian packages among "$@" that are not installed yet
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  [ ${#missing[@]} = 0 ] && return
  apt_update
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/nnplay-apt-install.log 2>&1 \
    || { tail -30 /tmp/nnplay-apt-install.log >&2; die "apt-get install ${missing[*]} failed (see above)"; }
}

deb_uri() {  # the URI of the machine's main Debian 'deb' entry (not security), read at run time
  local f uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk 'BEGIN{RS="";FS="\n"} /Types:[ \t]*deb[ \t\n]/ && !/security/ {for(i=1;i<=NF;i++) if ($i ~ /^URIs:/) {sub(/^URIs:[ \t]*/,"",$i); split($i,a," "); print a[1]; exit}}' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  uri=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || die "no Debian 'deb' entry found in /etc/apt/sources.list(.d) to derive a deb-src entry from"
  echo "$uri"
}

ensure_debsrc() {
  local f=/etc/apt/sources.list.d/nnplay-debsrc.sources
  [ -f "$f" ] && return
  local uri; uri=$(deb_uri)
  say "adding deb-src entry for $uri"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" | $sudo_ tee "$f" >/dev/null
  apt_updated=0
}

fetch_source() {  # fetch_source <srcpkg> <dest-dir>: unpacked Debian source package into dest
  local pkg=$1 dest=$2 tmp
  [ -d "$dest" ] && return
  need_pkgs dpkg-dev
  ensure_debsrc
  apt_update
  tmp=$(mktemp -d)
  say "apt-get source $pkg"
  (cd "$tmp" && apt-get source -qq "$pkg" >/tmp/nnplay-src-$pkg.log 2>&1) || { tail -20 /tmp/nnplay-src-$pkg.log >&2; die "apt-get source $pkg failed"; }
  local d; d=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -1)
  mkdir -p "$(dirname "$dest")"
  mv "$d" "$dest"
  rm -rf "$tmp"
}

emsdk_env() { export NODE_PATH=/usr/share/nodejs; }

build_sdl2_wasm() {
  local out=$cache/sdl2-$SDL_VER-wasm
  [ -f "$out/lib/libSDL2.a" ] && return
  fetch_source libsdl2 "$cache/src/libsdl2-$SDL_VER"
  emsdk_env
  say "building SDL2 $SDL_VER for wasm (about 6 minutes the first time; cached in $out)"
  rm -rf "$cache/build-sdl2"
  emcmake cmake -S "$cache/src/libsdl2-$SDL_VER" -B "$cache/build-sdl2" -DCMAKE_BUILD_TYPE=Release \
     -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DCMAKE_INSTALL_PREFIX="$out.tmp" >/tmp/nnplay-sdl2.log 2>&1 \
    && cmake --build "$cache/build-sdl2" -j"$(nproc)" >>/tmp/nnplay-sdl2.log 2>&1 \
    && cmake --install "$cache/build-sdl2" >>/tmp/nnplay-sdl2.log 2>&1 \
    || { tail -30 /tmp/nnplay-sdl2.log >&2; die "SDL2 wasm build failed (log: /tmp/nnplay-sdl2.log)"; }
  rm -rf "$out" && mv "$out.tmp" "$out" && rm -rf "$cache/build-sdl2"
}

if has native || has test || has bench; then
  need_pkgs g++ cmake make libsimde-dev googletest nlohmann-json3-dev
fi
if has web || has test || has bench; then
  need_pkgs emscripten libsimde-dev nlohmann-json3-dev googletest fonts-dejavu-core
  fetch_source imgui "$cache/src/imgui-$IMGUI_VER"
  build_sdl2_wasm
fi
if has test; then
  need_pkgs chromium python3-numpy python3-torch clang-14 libclang-rt-14-dev
fi
if has web || has test; then
  need_pkgs fonts-wqy-microhei python3-fonttools
fi
if has test || has bench; then
  if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    say "npm ci (playwright-core and the benchmark peers)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/tmp/nnplay-npm.log 2>&1) \
      || { tail -20 /tmp/nnplay-npm.log >&2; die "npm ci failed: no network to the npm registry? (log: /tmp/nnplay-npm.log)"; }
  fi
fi
echo "NNPLAY_CACHE=$cache"
