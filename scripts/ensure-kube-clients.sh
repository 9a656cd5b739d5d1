#!/usr/bin/env bash
# The kubectl end-to-end test (test/fake-apiserver/kubectl-e2e.test.ts) drives a real kubectl and the
# official Python client against the fake API server. Install them when they are missing and we are
# allowed to (root, as on CI and fresh machines): kubectl from Debian's kubernetes-client when
# /usr/bin/kubectl is absent, and python3-kubernetes. Otherwise say what to install; the test then
# skips those parts with a message, so this never fails the run.
set -uo pipefail
missing=()
if ! [ -x /usr/bin/kubectl ] && ! command -v kubectl >/dev/null 2>&1; then missing+=(kubernetes-client); fi
if ! /usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1; then missing+=(python3-kubernetes); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "kubectl e2e: installing Debian packages ${missing[*]}" >&2
  apt-get update -qq >/dev/null 2>&1
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then exit 0; fi
  echo "kubectl e2e: could not install ${missing[*]}; the e2e test will skip what needs them" >&2
  exit 0
fi
echo "kubectl e2e: install ${missing[*]} (sudo apt-get install ${missing[*]}) to run the kubectl end-to-end test" >&2
exit 0
