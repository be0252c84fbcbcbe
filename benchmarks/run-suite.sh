#!/usr/bin/env bash
# Runs the whole benchmark suite against Kafka's RocksDB store, one part after the other, from the repository root:
# the store-level JMH suite (hot and cold data sets), the topology throughput run, the restore and kill -9 run, and
# the overwrite amplification / memory / scaling run. Results land in docs/benchmarks/ (CSV, Markdown, PNG).
#
#   benchmarks/run-suite.sh           # full sizes: a few hours on a 2-core machine
#   benchmarks/run-suite.sh --quick   # a few seconds of each part, to check the suite runs (not for figures)
#
# On a shared build machine it takes the Maven lock for each part, as every benchmark command in
# benchmarks/README.md does, so other builds do not run beside a measurement.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
if [[ "${1:-}" == "--quick" ]]; then
    quick=true
fi

run() {
    echo "== $*"
    if command -v flock >/dev/null; then
        flock /tmp/lamina-mvn.lock mvn -B -ntp -pl benchmarks -am verify -DskipTests "$@"
    else
        mvn -B -ntp -pl benchmarks -am verify -DskipTests "$@"
    fi
}

if $quick; then
    out=$(mktemp -d)
    run -Pjmh -Dbench.mode=quick -Dbench.datasets=HOT -Dbench.out="$out"
    run -Ptopology -Dtopology.mode=quick -Dtopology.rounds=1 -Dtopology.out="$out"
    run -Prestore-run -Dbench.mode=quick -Dbench.out="$out"
    run -Pamplification -Dbench.sizes=2MB -Dbench.values=1024 -Dbench.rounds=1 -Dbench.out="$out"
    echo "Quick results (not figures) in $out"
else
    run -Pjmh -Dbench.datasets=HOT -Dbench.iterations=5
    run -Pjmh -Dbench.datasets=COLD -Dbench.values=100,16384
    run -Pjmh -Dbench.datasets=COLD -Dbench.values=1024 -Dbench.name=jmh-COLD-1KiB
    run -Ptopology
    run -Prestore-run
    run -Pamplification -Dbench.sizes=100MB,1GB,4GB -Dbench.values=1024 -Dbench.name=amplification-1KiB
    run -Pamplification -Dbench.sizes=100MB,1GB,4GB -Dbench.values=16384 -Dbench.name=amplification-16KiB
fi
