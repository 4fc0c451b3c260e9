#!/usr/bin/env bash
# Builds what the artifacts need and writes them to dist/, every file named with the one version
# (the CMake project version, as kuaidi-mock --version prints it):
#   kuaidi-kit.html                              the page in one file, open it from disk
#   page/                                        the page as static files, for any web server
#   kuaidi-mock-<version>-linux-x86_64.tar.gz    kuaidi-mock + the libraries glibc does not provide
#   kuaidi-mock_<version>_amd64.deb              kuaidi-mock + the page, for apt-get install
#   kuaidi-kit-<version>.tgz                     the core for JavaScript (npm install)
# Everything is made in build/package/ and renamed into dist/ at the end, so an interrupted or
# failed run never leaves half an artifact there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

fail() {
  printf 'package.sh: %s\n' "$*" >&2
  exit 1
}

# patchelf sets the tarball's RUNPATH, dpkg-dev's dpkg-shlibdeps computes the .deb's Depends.
ensure_debian_packages patchelf dpkg-dev || true
for tool in cmake:cmake emcmake:emscripten node:nodejs npm:npm ldd:libc-bin patchelf:patchelf \
            dpkg-shlibdeps:dpkg-dev cpack:cmake tar:tar gzip:gzip; do
  command -v "${tool%%:*}" >/dev/null ||
    fail "${tool%%:*} is needed and not installed: apt-get install ${tool#*:} (as root), then run again"
done

# Only the targets the artifacts need, in the same trees as lib.sh's build_native/build_wasm.
log "native build of kuaidi-mock (build/)"
build_preset native --target kuaidi-mock
log "WebAssembly build of the page and the npm module (build-wasm/)"
build_preset wasm --target kuaidi_web kuaidi_page_html kuaidi_npm

mock="$KUAIDI_ROOT/build/mock_server/kuaidi-mock"
version=$("$mock" --version | head -n1 | awk '{print $2}')
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "kuaidi-mock --version printed no version: $("$mock" --version)"

work="$KUAIDI_ROOT/build/package"
rm -rf "$work"
mkdir -p "$work/out"
trap 'rm -rf "$work"' EXIT

log "staging the install tree"
cmake --install "$KUAIDI_ROOT/build" --prefix "$work/stage" --strip >/dev/null
[ -f "$work/stage/share/kuaidi-kit/web/index.html" ] || fail "the built page is missing from build-wasm/web"

# ---- dist/page/ and dist/kuaidi-kit.html
cp -r "$work/stage/share/kuaidi-kit/web" "$work/out/page"
log "kuaidi-kit.html (the page in one file)"
node "$KUAIDI_ROOT/web/single_file.mjs" "$work/stage/share/kuaidi-kit/web" "$work/out/kuaidi-kit.html"

# ---- dist/kuaidi-mock-<version>-linux-x86_64.tar.gz
log "kuaidi-mock-$version-linux-x86_64.tar.gz"
bundle_name="kuaidi-mock-$version-linux-x86_64"
bundle="$work/$bundle_name"
mkdir -p "$bundle/lib"
cp -r "$work/stage/bin" "$work/stage/share" "$bundle/"
# Every library the loader resolves for the binary, except glibc's own (always present, and tied
# to the system's loader).
glibc='^(linux-vdso|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnsl|libmvec|libBrokenLocale|ld-linux[^ ]*)\.so'
ldd "$bundle/bin/kuaidi-mock" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | while read -r soname file; do
  [[ $soname =~ $glibc ]] && continue
  cp -L "$file" "$bundle/lib/$soname"
done
[ -n "$(ls "$bundle/lib")" ] || fail "ldd found no library to bundle for $mock"
# RUNPATH applies to a file's own dependencies only: the binary looks in ../lib, each library
# beside itself (libcpp-httplib needs libssl, libssl needs libcrypto).
patchelf --set-rpath '$ORIGIN/../lib' "$bundle/bin/kuaidi-mock"
for library in "$bundle"/lib/*; do patchelf --set-rpath '$ORIGIN' "$library"; done
tar -C "$work" --owner=0 --group=0 -czf "$work/out/$bundle_name.tar.gz" "$bundle_name"

# ---- dist/kuaidi-mock_<version>_amd64.deb
log "kuaidi-mock_${version}_amd64.deb"
rm -rf "$KUAIDI_ROOT/build/cpack"
(cd "$KUAIDI_ROOT/build" && cpack -G DEB >/dev/null) || fail "cpack could not build the .deb (see build/_CPack_Packages)"
cp "$KUAIDI_ROOT/build/cpack/kuaidi-mock_${version}_amd64.deb" "$work/out/"

# ---- dist/kuaidi-kit-<version>.tgz
log "kuaidi-kit-$version.tgz (npm)"
cp -r "$KUAIDI_ROOT/packaging/npm" "$work/npm"
cp "$KUAIDI_ROOT/build-wasm/packaging/npm/kuaidi.mjs" "$KUAIDI_ROOT/build-wasm/packaging/npm/kuaidi.wasm" "$work/npm/"
node -e 'const fs = require("fs"); const p = JSON.parse(fs.readFileSync(process.argv[1]));
  p.version = process.argv[2]; fs.writeFileSync(process.argv[1], JSON.stringify(p, null, 2) + "\n");' \
  "$work/npm/package.json" "$version"
(cd "$work/npm" && npm pack --silent --pack-destination "$work/out" >/dev/null)
[ -f "$work/out/kuaidi-kit-$version.tgz" ] || fail "npm pack did not write kuaidi-kit-$version.tgz"

# ---- the size limits of issue 13, then into place
size() { stat -c %s "$1"; }
check_size() {  # file limit-in-bytes what
  [ "$(size "$1")" -le "$2" ] || fail "$3 is $(size "$1") bytes, over its limit of $2"
}
check_size "$work/out/$bundle_name.tar.gz" $((15 * 1024 * 1024)) "the tarball"
gzip -9c "$work/out/kuaidi-kit.html" >"$work/kuaidi-kit.html.gz"
check_size "$work/kuaidi-kit.html.gz" $((300 * 1024)) "kuaidi-kit.html gzipped"
check_size "$work/out/kuaidi-kit-$version.tgz" $((500 * 1024)) "the npm package"

mkdir -p "$KUAIDI_ROOT/dist"
rm -rf "$KUAIDI_ROOT/dist/page"
for artifact in "$work"/out/*; do mv -f "$artifact" "$KUAIDI_ROOT/dist/"; done
log "dist/:"
(cd "$KUAIDI_ROOT/dist" && ls -l kuaidi-kit.html "$bundle_name.tar.gz" "kuaidi-mock_${version}_amd64.deb" "kuaidi-kit-$version.tgz" && du -sh page)
