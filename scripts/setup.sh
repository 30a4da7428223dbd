#!/usr/bin/env bash
# Installs the system libraries WildGuard links against (Debian/Ubuntu), if they are missing.
# With WILDGUARD_WITH_CHROMIUM=1 (or --with-chromium) it also installs Debian's `chromium`, which
# the report's browser test uses (that test is skipped, with a message, when chromium is missing).
set -euo pipefail
with_chromium="${WILDGUARD_WITH_CHROMIUM:-0}"
for arg in "$@"; do
  case "$arg" in
    --with-chromium) with_chromium=1 ;;
    *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done
need=()
pkg-config --exists libpcre2-8 2>/dev/null || need+=(libpcre2-dev)
pkg-config --exists icu-i18n 2>/dev/null || need+=(libicu-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ "$with_chromium" = "1" ] && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
