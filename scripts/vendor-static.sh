#!/usr/bin/env bash
# Re-fetch the vendored front-end files from the npm registry (see static/vendor/VERSIONS.md).
set -euo pipefail
dest="$(cd "$(dirname "$0")/.." && pwd)/src/peyvand/web/static/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack -q bootstrap@5.3.8 vazirmatn@33.0.3 @majidh1/jalalidatepicker@0.9.12 >/dev/null
for f in *.tgz; do mkdir -p "x/$f" && tar xzf "$f" -C "x/$f"; done
b=x/bootstrap-5.3.8.tgz/package
cp "$b"/dist/css/bootstrap{,.rtl}.min.css{,.map} "$b"/dist/js/bootstrap.bundle.min.js{,.map} \
  "$b/LICENSE" "$dest/bootstrap/"
v=x/vazirmatn-33.0.3.tgz/package
cp "$v"/fonts/webfonts/Vazirmatn-{Light,Regular,Medium,Bold}.woff2 "$dest/vazirmatn/fonts/webfonts/"
cp "$v/OFL.txt" "$dest/vazirmatn/"
j=x/majidh1-jalalidatepicker-0.9.12.tgz/package
cp "$j"/dist/jalalidatepicker.{js,min.js,min.css} "$j/LICENSE" "$dest/jalalidatepicker/"
echo "vendored into $dest"
