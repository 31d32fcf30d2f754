#!/usr/bin/env bash
# Builds target/portlens_VERSION_all.deb (mvn -Prelease package runs this after the jar is built):
# the jar's own `install --prefix /usr --destdir STAGING` makes the tree, dpkg-deb packs it.
# Usage: build-deb.sh JAVA JAR VERSION TARGET_DIR
set -euo pipefail
java="$1" jar="$2" version="$3" target="$4"
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-deb: dpkg-deb is needed for the Debian package (Debian: apt-get install dpkg)" >&2
  exit 1
fi
staging="$target/deb"
rm -rf "$staging"
mkdir -p "$staging"
"$java" -jar "$jar" install --prefix /usr --destdir "$staging" >/dev/null
# dpkg owns these files, not `portlens uninstall`: without the manifest, `portlens uninstall --prefix /usr`
# and `portlens install --prefix /usr` refuse to touch them (`dpkg -r portlens` removes them)
rm "$staging/usr/lib/portlens/install-manifest"
mkdir -p "$staging/usr/share/doc/portlens"
cat "$here/../../../NOTICE" "$here/../../../LICENSE" >"$staging/usr/share/doc/portlens/copyright"
chmod 644 "$staging/usr/share/doc/portlens/copyright"
# the watch service, not enabled: `systemctl enable --now portlens-watch`
install -D -m 644 "$here/../../../dist/systemd/portlens-watch.service" "$staging/lib/systemd/system/portlens-watch.service"
mkdir -p "$staging/DEBIAN"
size="$(du -sk --exclude=DEBIAN "$staging" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$here/control" >"$staging/DEBIAN/control"
find "$staging" -type d -exec chmod 755 {} +
deb="$target/portlens_${version}_all.deb"
rm -f "$deb"
dpkg-deb --root-owner-group --build "$staging" "$deb" >/dev/null
echo "build-deb: $deb"
