#!/usr/bin/env bash
# Side-by-side speed of Biostatistics and R on the same data and machine, in one run.
#   tools/biostat/bench.sh [n] [p]      (default: the study's scale, n = 2400, p = 20000)
# Needs R with glmnet and pROC (see make_fixtures.R). Prints R's and Swift's figures; both
# use default settings (glmnet thresh = 1e-7) and the same fold ids. R runs first, then Swift
# (2 threads for the folds); state that the machine was shared when quoting the figures.
set -euo pipefail
n=${1:-2400}; p=${2:-20000}
dir=${BENCH_DIR:-/tmp/biostat-bench-$n-$p}
cd "$(dirname "$0")/../.."
swift build -c release --product BiostatisticsBenchmark >/dev/null
Rscript tools/biostat/bench.R "$dir" "$n" "$p"
"$(swift build -c release --show-bin-path)/BiostatisticsBenchmark" "$dir"
