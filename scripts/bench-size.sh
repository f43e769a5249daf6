#!/usr/bin/env bash
# Measures the release transfer (wasm + js + css, raw and gzip -9) of dist/ and rewrites BENCHMARKS.md.
# Run through `make bench`, which builds dist/ first.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
[ -f "$dist/index.html" ] || { echo "no $dist/index.html: run make dist" >&2; exit 1; }

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
verdict=$([ "$total_gz" -le "$target" ] && echo "meets" || echo "MISSES")

cat > BENCHMARKS.md <<MD
# Benchmarks

Written by \`make bench\` (\`scripts/bench-size.sh\`); every figure below comes from that run. Do not edit by hand.

- Date: $(date -u +%Y-%m-%d)
- Machine: $(nproc) cores, $(uname -m), $(uname -sr)
- Toolchain: $(rustc --version), $(trunk --version 2>/dev/null || echo trunk), wasm-opt $(wasm-opt --version 2>/dev/null | awk '{print $3}')
- Build: \`trunk build --release\` (opt-level "z", LTO, one codegen unit, wasm-opt -Oz)

## Release transfer size

What a first visit downloads, in bytes (gzip -9, as a static host would serve it):

| file | raw | gzip |
|---|---:|---:|
$(grep -v '^TOTALS' <<<"$rows")
| **total** | **$total_raw** | **$total_gz** |

Target: wasm + js + css (+ html) ≤ 200 KB (204,800 bytes) gzipped — this build **$verdict** it.
MD
[ -f scripts/bench-notes.md ] && cat scripts/bench-notes.md >> BENCHMARKS.md
echo "BENCHMARKS.md: total $total_raw bytes raw, $total_gz gzip ($verdict the 200 KB target)"
