#!/usr/bin/env bash
# Measures the release transfer (wasm + js + css, raw and gzip -9) of dist/ and writes it as a
# Markdown section to target/bench/size.md (scripts/bench-report.sh puts it into BENCHMARKS.md).
# Run through `make bench`, which builds dist/ first.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
out=target/bench/size.md
[ -f "$dist/index.html" ] || { echo "no $dist/index.html: run make dist" >&2; exit 1; }
mkdir -p "$(dirname "$out")"

row() { # kind, files...
  local kind=$1; shift
  local raw=0 gz=0 f
  for f in "$@"; do
    raw=$((raw + $(wc -c < "$f")))
    gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  done
  printf '| %s | %s | %s |\n' "$kind" "$raw" "$gz"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
}

total_raw=0; total_gz=0
rows=$(
  row wasm "$dist"/*.wasm
  row js "$dist"/*.js
  row css "$dist"/*.css
  row html "$dist"/index.html
  echo "TOTALS $total_raw $total_gz"
)
read -r _ total_raw total_gz < <(grep '^TOTALS' <<<"$rows")
target=$((200 * 1024))
if [ "$total_gz" -le "$target" ]; then
  verdict="met ($((target - total_gz)) bytes under)"
else
  verdict="**MISSED** ($((total_gz - target)) bytes over, $(awk "BEGIN { printf \"%.2f\", $total_gz / $target }")×)"
fi

cat > "$out" <<MD
What a first visit downloads, in bytes (gzip -9, as a static host would serve it):

| file | raw | gzip |
|---|---:|---:|
$(grep -v '^TOTALS' <<<"$rows")
| **total** | **$total_raw** | **$total_gz** |

Target: wasm + js + css (+ html) ≤ 200 KB (204,800 bytes) gzipped — $verdict.
MD
echo "$out: total $total_raw bytes raw, $total_gz gzip (200 KB target: $verdict)"
