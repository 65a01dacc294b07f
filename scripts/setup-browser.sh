#!/usr/bin/env bash
# Debian's chromium for the real-browser test (no browser download: the
# machine reaches only the package registries), and a Chinese font so the
# screenshots the test saves to docs/ show the text. Skipped when not root.
set -uo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "not root: ${missing[*]} not installed (the browser test may skip)"; exit 0; fi
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
  || echo "${missing[*]} could not be installed: the browser test may skip"
