#!/usr/bin/env bash
# Install the system tools the end-to-end tests need, when missing and we can.
# LibreOffice makes real .pdf/.doc fixtures (Word-like export with embedded CJK fonts);
# Chromium drives the review-report browser test; poppler-utils renders PDFs for a look.
set -u
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -qiE "noto sans cjk|wenquanyi|droid sans fallback" || need+=(fonts-noto-cjk)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "sysdeps: installing ${need[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || echo "sysdeps: could not install ${need[*]}; the tests that need them will say so"
else
  echo "sysdeps: missing ${need[*]}; install them (e.g. apt-get install ${need[*]}) to run every end-to-end test"
fi
exit 0
