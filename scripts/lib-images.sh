# Shared by the image benchmarks (sourced; needs $WORK): OCI image layouts built without Docker.

sha() { sha256sum "$1" | cut -d' ' -f1; }

# oci_layout OUT LAYER.tar... : gzip each layer tar into an OCI image layout directory
oci_layout() {
  local out="$1"; shift
  mkdir -p "$out/blobs/sha256"
  local diffs="" layers="" d c size
  for t in "$@"; do
    d=$(sha "$t")
    gzip -1 -c "$t" > "$out/blobs/sha256/tmp"
    c=$(sha "$out/blobs/sha256/tmp"); size=$(stat -c %s "$out/blobs/sha256/tmp")
    mv "$out/blobs/sha256/tmp" "$out/blobs/sha256/$c"
    diffs="$diffs${diffs:+,}\"sha256:$d\""
    layers="$layers${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$c\",\"size\":$size}"
  done
  printf '{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"User":"1000","Env":["PATH=/usr/bin:/bin"]},"rootfs":{"type":"layers","diff_ids":[%s]},"history":[]}' "$diffs" > "$out/config.json"
  local cd cs; cd=$(sha "$out/config.json"); cs=$(stat -c %s "$out/config.json"); mv "$out/config.json" "$out/blobs/sha256/$cd"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' "$cd" "$cs" "$layers" > "$out/manifest.json"
  local md ms; md=$(sha "$out/manifest.json"); ms=$(stat -c %s "$out/manifest.json"); mv "$out/manifest.json" "$out/blobs/sha256/$md"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"bench"}}]}' "$md" "$ms" > "$out/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
}

build_debian() {
  local out="$WORK/debian"
  [ -f "$out/index.json" ] && return 0
  command -v debootstrap >/dev/null || { echo "debian: debootstrap not installed, skipped"; return 1; }
  rm -rf "$WORK/rootfs"
  if ! debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1; then
    echo "debian: debootstrap failed (no mirror?), skipped; see $WORK/debootstrap.log"; return 1
  fi
  cp "$WORK/rootfs/var/lib/dpkg/status" "$WORK/dpkg-status"   # for bench-vuln.sh's database
  tar --numeric-owner -C "$WORK/rootfs" -cf "$WORK/debian.tar" .
  oci_layout "$out" "$WORK/debian.tar"
  rm -rf "$WORK/rootfs" "$WORK/debian.tar"
}

