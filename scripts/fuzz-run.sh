#!/usr/bin/env bash
# Runs one cargo-fuzz target (fuzz/fuzz_targets/<target>.rs) for RUNS inputs and keeps what
# scripts/fuzz-report.sh reports in target/fuzz/: <target>.log (libFuzzer's output),
# <target>.seconds (wall time) and <target>.status (its exit status). The seeds come from
# fuzz/seeds/<target>/, new inputs go to fuzz/corpus/<target>/ (not committed), a crash to
# fuzz/artifacts/<target>/. Run through `make fuzz`, which installs cargo-fuzz and builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
runs=${2:-1000000}
out=target/fuzz
mkdir -p "$out" "fuzz/corpus/$target"
dict=()
[ -f "fuzz/dicts/$target.dict" ] && dict=("-dict=fuzz/dicts/$target.dict")
echo "fuzz $target: $runs runs"
start=$(date +%s.%N)
status=0
# No sanitizer: Rust is memory-safe, what is looked for is panics (with debug assertions, so
# that arithmetic overflow panics too). Nightly flags through RUSTC_BOOTSTRAP on stable.
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --debug-assertions "$target" \
  "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
  -runs="$runs" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048 "${dict[@]}" \
  > "$out/$target.log" 2>&1 || status=$?
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }' > "$out/$target.seconds"
echo "$status" > "$out/$target.status"
if [ "$status" != 0 ]; then
  echo "fuzz $target: exit status $status; see $out/$target.log" >&2
  grep -E 'panicked at|Test unit written to' "$out/$target.log" >&2 || true
fi
exit "$status"
