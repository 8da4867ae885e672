#!/usr/bin/env bash
# System packages qa uses beside Python: Tesseract and its language data for OCR of scanned
# PDFs and images, catdoc for Word 97-2003 .doc files; with --browser also Debian's Chromium
# for the browser tests.
# Never fatal: without Tesseract, scans and images are skipped with a reason, without catdoc
# .doc files (and the OCR and .doc tests skip, except under CI=true where they fail).
PACKAGES="tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-spa \
tesseract-ocr-chi-sim tesseract-ocr-ara tesseract-ocr-rus catdoc"
missing=""
for package in $PACKAGES; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing$missing (apt-get) for OCR and .doc files..." >&2
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null 2>&1 \
      || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null)) \
      || echo "could not install$missing: scanned PDFs and images, or .doc files, will be skipped" >&2
  else
    echo "not installed and cannot apt-get them:$missing: scanned PDFs and images, or .doc files, will be skipped" >&2
    echo "  (as root: apt-get install$missing)" >&2
  fi
fi
if [ "${1:-}" = "--browser" ]; then
  bash "$(dirname "$0")/install-browser.sh"
fi
exit 0
