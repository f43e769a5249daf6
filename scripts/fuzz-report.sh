#!/usr/bin/env bash
# Writes docs/FUZZING.md from the runs `make fuzz` made (scripts/fuzz-run.sh, one per target,
# into target/fuzz/): inputs run, panics and other crashes found, seconds and inputs a second
# for each target, with the machine, the date and the command; then appends
# scripts/fuzz-notes.md. Every figure comes from those runs. Usage: fuzz-report.sh RUNS
set -euo pipefail
cd "$(dirname "$0")/.."
requested=${1:-1000000}
dir=target/fuzz
targets=(native text brat conll iob2 doccano label_studio spacy w3c zip open_files)
# 1234567 as 1,234,567.
group() { echo "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; }
what() {
  case $1 in
    native) echo "Spanmark JSON (\`.spanmark.json\`)" ;;
    text) echo "plain text" ;;
    brat) echo "brat \`.ann\` with its text" ;;
    conll) echo "CoNLL 2003 in any tag scheme (IOB1, IOB2, BIOES, BILOU), with and without a text" ;;
    iob2) echo "IOB2 in any tag scheme, with and without a text" ;;
    doccano) echo "doccano JSONL and JSON, every record shape (numeric labels, \`data\`)" ;;
    label_studio) echo "Label Studio JSON" ;;
    spacy) echo "spaCy training JSON: v3, v2, the NER Annotator's export" ;;
    w3c) echo "W3C Web Annotation (RecogitoJS too) with its text" ;;
    zip) echo "a \`.zip\` of files, through \`open_files\`" ;;
    open_files) echo "two files of any type (a doccano export and its label file too), through \`open_files\`" ;;
  esac
}
rows=""
total_runs=0 total_failures=0 total_seconds=0 short=0 missing=()
for t in "${targets[@]}"; do
  log=$dir/$t.log
  if [ ! -s "$log" ] || [ ! -f "$dir/$t.status" ]; then missing+=("$t"); continue; fi
  runs=$(awk -F': *' '/^stat::number_of_executed_units/ { n = $2 } END { print n }' "$log")
  # Without final stats (the run stopped at a crash), the last status line's count.
  [ -n "$runs" ] || runs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  runs=${runs:-0}
  failures=$(grep -acE 'Test unit written to .*/(crash|timeout|oom|leak)-' "$log" || true)
  status=$(cat "$dir/$t.status" 2>/dev/null || echo "?")
  if [ "$status" != 0 ] && [ "$failures" = 0 ]; then failures=1; fi
  seconds=$(cat "$dir/$t.seconds")
  rate=$(awk -v r="$runs" -v s="$seconds" 'BEGIN { printf "%d", (s > 0 ? r / s : 0) }')
  # libFuzzer's last status line: the edges covered and the inputs in its corpus.
  last=$(grep -aE '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  corpus=$(echo "$last" | grep -oE 'corp: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  [ "$runs" -ge "$requested" ] || short=$((short + 1))
  result=$([ "$failures" = 0 ] && echo "0" || echo "**$failures** (exit $status)")
  rows+="| \`$t\` | $(what "$t") | $(group "$runs") | $result | $seconds | $(group "$rate") | $(group "$cov") | $(group "$corpus") |"$'\n'
  total_runs=$((total_runs + runs))
  total_failures=$((total_failures + failures))
  total_seconds=$(awk -v a="$total_seconds" -v b="$seconds" 'BEGIN { printf "%.1f", a + b }')
done
[ -n "$rows" ] || { echo "no logs in $dir: run make fuzz" >&2; exit 1; }
if [ "$total_failures" = 0 ] && [ "$short" = 0 ] && [ ${#missing[@]} = 0 ]; then
  verdict="No panic and no other crash in $(group "$total_runs") inputs: every target ran its $(group "$requested") inputs."
else
  verdict="Not clean: $total_failures crash(es); $short target(s) stopped short of $(group "$requested") inputs${missing:+; not run: ${missing[*]}}. The logs are in \`$dir/\`, the inputs in \`fuzz/artifacts/\`."
fi
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo "unknown CPU")
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo "?")
libfuzzer=$(awk '/^name = "libfuzzer-sys"$/ { getline; gsub(/version = |"/, ""); print }' fuzz/Cargo.lock)

cat > docs/FUZZING.md <<MD
# Fuzzing

Every importer is fuzzed with cargo-fuzz (libFuzzer, coverage-guided): one target per format,
plus zip archives and the dispatcher that opens several files at once. Each input goes through
the importer as the app runs it, and every document that opens is checked and written back out
(the check is described below).

## Results

Written by \`make fuzz\`; every figure below comes from that run. Do not edit by hand.

- Date: $(date -u +%Y-%m-%d)
- Machine: $cpu, $(nproc) cores, $mem RAM, $(uname -m), $(uname -sr)
- Toolchain: $(rustc --version), $(cargo fuzz --version 2>/dev/null || echo cargo-fuzz), libfuzzer-sys $libfuzzer; no sanitizer, release build with debug assertions (overflow panics)
- Command: \`make fuzz FUZZ_RUNS=$requested\` — for each target \`./scripts/fuzz-run.sh TARGET $requested\`, which runs
  \`RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --debug-assertions TARGET fuzz/corpus/TARGET fuzz/seeds/TARGET -- -runs=$requested -print_final_stats=1 -timeout=30 -rss_limit_mb=2048 -dict=fuzz/dicts/TARGET.dict\`;
  then \`./scripts/fuzz-report.sh $requested\` (this file)

| Target | Opens | Inputs run | Panics and crashes | Seconds | Inputs/s | Edges covered | Corpus |
|---|---|---:|---:|---:|---:|---:|---:|
$rows| **all** | | **$(group "$total_runs")** | **$total_failures** | $total_seconds | | | |

$verdict

*Inputs run* is libFuzzer's count of executed inputs (seeds included); *Edges covered* and
*Corpus* are from its last status line: the code edges the inputs reached, and how many inputs
its corpus kept for reaching them (\`fuzz/corpus/TARGET/\`, kept between runs, not committed).
MD
[ -f scripts/fuzz-notes.md ] && { echo; cat scripts/fuzz-notes.md; } >> docs/FUZZING.md
echo "docs/FUZZING.md written"
