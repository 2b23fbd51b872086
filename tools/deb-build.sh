#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `make deb`: build the Debian package from a copy of the tree, so that
# neither the tree nor its parent directory gets dpkg-buildpackage's files:
#   build-deb/natsh-VERSION/   the copy (built there)
#   build-deb/natsh_VERSION_ARCH.deb, .buildinfo, .changes
# then lintian on the .changes: errors fail, warnings and the rest are shown.
#   tools/deb-build.sh VERSION
set -euo pipefail
export LC_ALL=C.UTF-8
me=deb
version=${1:?usage: tools/deb-build.sh VERSION}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build-deb
cd "$top"

# debian/changelog names the version the package gets; the Makefile's must match
chver=$(dpkg-parsechangelog -S Version)
if [ "$chver" != "$version" ]; then
	echo "$me: debian/changelog is at $chver, the Makefile at $version: add a changelog entry (dch -v $version)" >&2
	exit 1
fi

rm -rf "$out"
mkdir -p "$out/natsh-$version"
tar -C "$top" --exclude=./build --exclude=./build-san --exclude=./build-fuzz \
	--exclude=./build-deb --exclude=./natsh --exclude=./.git -cf - . |
	tar -C "$out/natsh-$version" -xf -

echo "$me: dpkg-buildpackage -us -uc -b in build-deb/natsh-$version (log: build-deb/build.log)"
if ! (cd "$out/natsh-$version" && dpkg-buildpackage -us -uc -b -j"$(nproc)") \
	>"$out/build.log" 2>&1; then
	tail -40 "$out/build.log" >&2
	echo "$me: dpkg-buildpackage failed (build-deb/build.log)" >&2
	exit 1
fi
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=$out/natsh_${version}_$arch.deb
[ -f "$deb" ] || { echo "$me: dpkg-buildpackage made no $deb" >&2; exit 1; }
echo "$me: built build-deb/${deb##*/} ($(stat -c %s "$deb") bytes)"

# lintian (with its info tags): an error fails; the tags that remain are
# listed (README, "The Debian package", says why each remains)
echo "$me: lintian --display-info"
rc=0
lintian --fail-on error --display-info "$out/natsh_${version}_$arch.changes" \
	>"$out/lintian.raw" 2>&1 || rc=$?
grep -v '^running with root privileges' "$out/lintian.raw" >"$out/lintian.log" || true
if [ -s "$out/lintian.log" ]; then sed 's/^/  /' "$out/lintian.log"; else echo "  (no tags)"; fi
if [ "$rc" -ne 0 ]; then
	echo "$me: lintian reports errors (exit $rc)" >&2
	exit 1
fi
