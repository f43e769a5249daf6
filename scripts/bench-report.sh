#!/usr/bin/env bash
# Assembles BENCHMARKS.md from the sections `make bench` measured into target/bench/
# (size.md from bench-size.sh, host.md from `cargo bench --bench core`, browser.md from the
# browser benchmark, peer.md, memory.md and trace.md from its side-by-side, memory and trace
# runs, dashboard.md from the dashboard's, team.md from the team server's load run), with the machine, the date and
# the commands, then appends scripts/bench-notes.md. Every figure comes from those runs.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/bench
for f in size host; do
  [ -s "$dir/$f.md" ] || { echo "no $dir/$f.md: run make bench" >&2; exit 1; }
done
# The browser benchmark and the load run can be left out (run the steps by hand without
# them); then say so.
[ -s "$dir/browser.md" ] || echo "Not measured in this run: the browser benchmark (\`cargo test --locked --test e2e bench:: -- --ignored --nocapture\`) was not run or did not finish." > "$dir/browser.md.missing"
[ -s "$dir/peer.md" ] || echo "Not measured in this run: the side-by-side benchmark (\`cargo test --locked --test e2e bench:: -- --ignored --nocapture\`) was not run or did not finish." > "$dir/peer.md.missing"
[ -s "$dir/memory.md" ] || echo "Not measured in this run: the memory benchmark (\`cargo test --locked --test e2e bench:: -- --ignored --nocapture\`) was not run or did not finish." > "$dir/memory.md.missing"
[ -s "$dir/trace.md" ] || echo "Not measured in this run: the trace of the edits (\`cargo test --locked --test e2e bench:: -- --ignored --nocapture\`) was not run or did not finish." > "$dir/trace.md.missing"
[ -s "$dir/dashboard.md" ] || echo "Not measured in this run: the dashboard benchmark (\`cargo test --locked --test e2e bench:: -- --ignored --nocapture\`) was not run or did not finish." > "$dir/dashboard.md.missing"
[ -s "$dir/team.md" ] || echo "Not measured in this run: the load run (\`cargo test --locked -p spanmark-cli --test team_load -- --ignored --nocapture\`) was not run or did not finish." > "$dir/team.md.missing"
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo "unknown CPU")
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo "?")
chromium=$( (chromium --version || chromium-browser --version) 2>/dev/null | head -1 || echo "Chromium")

cat > BENCHMARKS.md <<MD
# Benchmarks

Written by \`make bench\`; every figure below comes from that run. Do not edit by hand.

- Date: $(date -u +%Y-%m-%d)
- Machine: $cpu, $(nproc) cores, $mem RAM, $(uname -m), $(uname -sr)
- Toolchain: $(rustc --version), $(trunk --version 2>/dev/null || echo trunk), wasm-opt $(wasm-opt --version 2>/dev/null | awk '{print $3}'), $chromium
- Build: \`trunk build --release --dist dist\` (opt-level "z", LTO, one codegen unit, wasm-opt -Oz; CSS and HTML minified)
- Commands (all run by \`make bench\`):
  - \`./scripts/bench-size.sh dist\` — release transfer size
  - \`cargo bench --locked --bench core\` — host benchmarks (crates/core/benches/core.rs)
  - \`cargo test --locked --test e2e bench:: -- --ignored --nocapture\` — browser benchmark (tests/e2e/bench.rs), side by side with recogito (tests/e2e/bench/peer.rs), memory over ten document switches (tests/e2e/bench/memory.rs), forced layouts in a trace of the edits (tests/e2e/bench/trace.rs) and the dashboard's (tests/e2e/bench/dashboard.rs)
  - \`cargo test --locked -p spanmark-cli --test team_load -- --ignored --nocapture\` — team sync under load (crates/cli/tests/team_load.rs)
  - \`./scripts/bench-report.sh\` — this file

These figures measure; nothing in them is asserted. Targets are reported as met or missed with the margin.

## Release transfer size

$(cat "$dir/size.md")

## Host benchmarks of the core

Native build with the release profile (\`cargo bench\`), single thread, \`std::time::Instant\` around each call.

$(cat "$dir/host.md")

## In the browser

$(cat "$dir/browser.md" 2>/dev/null || cat "$dir/browser.md.missing")

## Side by side with recogito

$(cat "$dir/peer.md" 2>/dev/null || cat "$dir/peer.md.missing")

## Memory

$(cat "$dir/memory.md" 2>/dev/null || cat "$dir/memory.md.missing")

## Forced layouts in a trace of the edits

$(cat "$dir/trace.md" 2>/dev/null || cat "$dir/trace.md.missing")

## The curator's dashboard

$(cat "$dir/dashboard.md" 2>/dev/null || cat "$dir/dashboard.md.missing")

## Team sync under load

$(cat "$dir/team.md" 2>/dev/null || cat "$dir/team.md.missing")
MD
[ -f scripts/bench-notes.md ] && { echo; cat scripts/bench-notes.md; } >> BENCHMARKS.md
echo "BENCHMARKS.md written"
