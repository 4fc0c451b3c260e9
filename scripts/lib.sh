# Shared by the README's commands: install what is missing, build the trees of CMakePresets.json.
# Sourced, not run. Everything is non-interactive and safe to repeat.

KUAIDI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KUAIDI_JOBS=${KUAIDI_JOBS:-$(nproc)}
# Debian's emscripten needs Debian's node modules (acorn), which NodeSource's node does not search.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

KUAIDI_DEBIAN_PACKAGES=(cmake g++ make ninja-build clang-format git pkg-config curl emscripten nlohmann-json3-dev libcpp-httplib-dev catch2 chromium-headless-shell fonts-wqy-zenhei)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_debian_packages() {
  local missing=()
  for pkg in "${KUAIDI_DEBIAN_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_npm_packages() {
  [ -f "$KUAIDI_ROOT/package.json" ] || return 0
  if [ ! -d "$KUAIDI_ROOT/node_modules" ] || [ "$KUAIDI_ROOT/package-lock.json" -nt "$KUAIDI_ROOT/node_modules" ]; then
    log "npm ci"
    (cd "$KUAIDI_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# configure_preset <preset> [-D…]: one of CMakePresets.json's trees (build/, build-wasm/, build-asan/).
# A tree made with Makefiles (before the presets chose Ninja) is configured afresh: CMake will not
# switch a tree's generator in place.
configure_preset() {
  local dir
  case $1 in
    native) dir=build ;;
    wasm) dir=build-wasm ;;
    asan | fuzz) dir=build-asan ;;
    bench) dir=build-bench-kit ;;
    *) dir= ;;
  esac
  if [ -n "$dir" ] && grep -qs '^CMAKE_GENERATOR:INTERNAL=Unix Makefiles$' "$KUAIDI_ROOT/$dir/CMakeCache.txt"; then
    rm -rf "$KUAIDI_ROOT/$dir/CMakeCache.txt" "$KUAIDI_ROOT/$dir/CMakeFiles"
  fi
  (cd "$KUAIDI_ROOT" && cmake --preset "$@" >/dev/null)
}

# build_preset <preset> [--target …]: configure if needed, then build.
build_preset() {
  local preset=$1
  shift
  configure_preset "$preset" && (cd "$KUAIDI_ROOT" && cmake --build --preset "$preset" -j "$KUAIDI_JOBS" "$@")
}

build_native() {
  log "native build (build/)"
  build_preset native "$@"
}

build_wasm() {
  log "WebAssembly build (build-wasm/)"
  build_preset wasm "$@"
}

# clang with its sanitizer runtimes (Debian splits them out), for the asan preset.
ensure_clang() {
  ensure_debian_packages clang &&
    ensure_debian_packages "libclang-rt-$(clang++ -dumpversion | cut -d. -f1)-dev"
}
