#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
# CJK fonts so that Chinese questions and answers render in screenshots.
# Never fatal: without it the browser tests skip and say why (under CI=true they fail).
if command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/opentype/noto ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium (apt-get) for the browser tests..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
    || echo "could not install chromium: browser tests will be skipped" >&2
else
  echo "chromium not found and cannot apt-get it: browser tests will be skipped" >&2
fi
exit 0
