#!/usr/bin/env bash
# The etcd test suites run a real etcd (Debian package etcd-server). Install it when it is missing and
# we are allowed to (root, as on CI and fresh machines); otherwise say exactly what to install.
set -euo pipefail
if command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "etcd not found: installing Debian packages etcd-server and etcd-client" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client >/dev/null
  exit 0
fi
echo "etcd not found: install the Debian package etcd-server (sudo apt-get install etcd-server etcd-client)" >&2
exit 1
