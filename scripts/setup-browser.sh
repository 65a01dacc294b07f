#!/usr/bin/env bash
# Debian's chromium for the real-browser test (no browser download: the
# machine reaches only the package registries). Skipped when not root.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "not root: chromium not installed, the browser test will skip"; exit 0; fi
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
  || echo "chromium could not be installed: the browser test will skip"
