#!/usr/bin/env bash
# Runs the whole test suite (`./mvnw verify`) several times in a row while the machine is
# overloaded the way a shared CI host is: a second full build of the project in a copy of the tree,
# plus busy-spinning processes, so there are many more runnable threads than cores.
#
#   docs/verify-under-load.sh [runs] [spinners]     # defaults: 3 runs, 2 × nproc spinners
#
# Exits non-zero on the first failing run and prints where its log is. Every background process
# it starts is stopped on exit. The result of the last run belongs in docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-3}"
spinners="${2:-$(( 2 * $(nproc) ))}"
work="$(mktemp -d)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work/copy"
}
trap cleanup EXIT

# The rival build works on a copy, so the two builds never share target/ directories.
git ls-files -z | tar --null -T - -cf - | (mkdir -p "$work/copy" && tar -xf - -C "$work/copy")
# setsid: each load process leads its own process group, so cleanup stops the rival's JVMs too.
setsid bash -c 'cd "$1" && while true; do ./mvnw -B -ntp -q verify > ../rival.log 2>&1 || true; done' _ "$work/copy" &
pids+=($!)

for _ in $(seq "$spinners"); do
  setsid bash -c 'while :; do :; done' &
  pids+=($!)
done

echo "load: a rival './mvnw verify' in a loop + $spinners busy spinners on $(nproc) cores"
for run in $(seq "$runs"); do
  log="$work/run-$run.log"
  start=$(date +%s)
  if MAVEN_ARGS="-B -ntp" ./mvnw verify > "$log" 2>&1; then
    status=passed
  else
    status=FAILED
  fi
  tests=$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures' "$log" | grep -v ' -- in ' \
    | awk -F'[ ,]+' '{t+=$4; f+=$6; e+=$8; s+=$10} END {printf "%d tests, %d failures, %d errors, %d skipped", t, f, e, s}')
  echo "run $run: $status in $(( $(date +%s) - start )) s ($tests; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ "$status" = FAILED ]; then
    grep -E 'FAIL|Tests run:.*Failures: [1-9]|ERROR\]' "$log" | head -40
    echo "log: $log"
    trap - EXIT
    cleanup
    exit 1
  fi
done
