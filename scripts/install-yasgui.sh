#!/usr/bin/env bash
# Installs the YASGUI query editor (@zazuko/yasgui, MIT licence) into the package's static assets,
# so that `govkg serve` and `govkg site` serve it from the site's own origin: the bundled build
# (yasgui.min.js, yasgui.min.css) of the pinned version, its tarball checked against the pinned
# sha512 before anything is unpacked. Not vendored in git (1 MB of minified code); installed by
# `make` (the yasgui target) when missing or of another version. Needs npm (`npm pack` only
# downloads the tarball; nothing is installed into node_modules).
set -euo pipefail
VERSION=4.6.2
INTEGRITY=sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==
dest=${1:-src/govkg/web/static/yasgui}
stamp="$dest/VERSION"
if [[ -f $stamp && $(cat "$stamp") == "@zazuko/yasgui $VERSION $INTEGRITY" ]]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-yasgui: npm is needed to fetch @zazuko/yasgui $VERSION (Debian: apt-get install npm)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "install-yasgui: fetching @zazuko/yasgui $VERSION into $dest" >&2
(cd "$tmp" && npm pack --silent --loglevel=error "@zazuko/yasgui@$VERSION" >/dev/null)
tarball="$tmp/zazuko-yasgui-$VERSION.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ $got != "$INTEGRITY" ]]; then
  echo "install-yasgui: $tarball has $got, not the pinned $INTEGRITY; nothing installed" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/build/yasgui.min.js package/build/yasgui.min.css package/package.json
mkdir -p "$dest"
# The source map is not shipped, so the bundle's pointer to it goes.
sed '/^\/\/# sourceMappingURL=/d' "$tmp/package/build/yasgui.min.js" >"$dest/yasgui.min.js"
cp "$tmp/package/build/yasgui.min.css" "$dest/yasgui.min.css"
cat >"$dest/LICENSE" <<LICENSE
@zazuko/yasgui $VERSION — https://github.com/zazuko/Yasgui — licence: $(grep -o '"license": *"[^"]*"' "$tmp/package/package.json" | cut -d'"' -f4)
Fetched from the npm registry by scripts/install-yasgui.sh, tarball $INTEGRITY.

The package declares the MIT licence; its copyright notice is in the upstream repository above.

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENSE
echo "@zazuko/yasgui $VERSION $INTEGRITY" >"$stamp"
