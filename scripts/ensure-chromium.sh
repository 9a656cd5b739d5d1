#!/usr/bin/env bash
# The policy-matrix test renders its HTML in headless Chromium (Debian package chromium). Install it
# when it is missing and we are allowed to (root with apt-get); otherwise say what to install. The
# test itself only skips its rendering check when no chromium exists.
set -euo pipefail
if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium not found: installing the Debian package chromium" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "chromium not found: the policy matrix rendering test will not run (sudo apt-get install chromium)" >&2
exit 0
