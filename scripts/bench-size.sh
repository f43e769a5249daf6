#!/usr/bin/env bash
# Measures the release transfer (wasm + js + css, raw and gzip -9) of dist/ and writes it as a
# Markdown section to target/bench/size.md (scripts/bench-report.sh puts it into BENCHMARKS.md).
# The first visit is every file but the codec worker's (spanmark-codecs-*), which the page
# fetches on the first Open, Download in another format or Compare; it is reported apart.
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

# The files of a kind (a suffix) the first visit downloads, or (with "codecs") the codec worker's.
files() { # suffix [codecs]
  local f
  for f in "$dist"/*"$1"; do
    case "$(basename "$f")" in
      spanmark-codecs-*) [ "${2:-}" = codecs ] && echo "$f" ;;
      *) [ "${2:-}" = codecs ] || echo "$f" ;;
    esac
  done
}

total_raw=0; total_gz=0
rows=$(
  row wasm $(files .wasm)
  row js $(files .js)
  row css $(files .css)
  row html "$dist"/index.html
  echo "TOTALS $total_raw $total_gz"
)
codecs=$(
  total_raw=0; total_gz=0
  row "codec worker (wasm + js), on first use" $(files .wasm codecs) $(files .js codecs)
)
[ -n "$(files .wasm codecs)" ] || { echo "no codec worker in $dist" >&2; exit 1; }
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

Not part of the first visit (fetched on the first Open, Download in another format or Compare):

| file | raw | gzip |
|---|---:|---:|
$codecs

Target: wasm + js + css (+ html) ≤ 200 KB (204,800 bytes) gzipped — $verdict.
MD
echo "$out: total $total_raw bytes raw, $total_gz gzip (200 KB target: $verdict)"
