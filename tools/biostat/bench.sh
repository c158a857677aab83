#!/usr/bin/env bash
# LASSO-logistic cross-validation beside cv.glmnet, both shapes of issue 13, in one run.
#   tools/biostat/bench.sh [NxP ...]        (default: 1200x1000 2400x20000)
# For each shape bench.R writes a seeded data set with fold ids and times glmnet's path and
# cv.glmnet (R is single-threaded); then BiostatisticsBenchmark times the same path and
# LassoLogistic.crossValidate (what `her2mri stats lasso FILE --label y --fold-column fold`
# runs after reading the CSV) on the same data and folds with one worker per core; then
# cv.glmnet and her2mri with one worker run again, started together so both see the same load
# (the per-core comparison, fair on a loaded machine). All use the
# default settings (thresh 1e-7, 100 λ). Prints the raw lines, then a table of seconds and
# ratios (cv.glmnet ÷ her2mri) with the load average before and after.
# Needs R with glmnet (and pROC for the DeLong line): apt-get install -y --no-install-recommends
# r-base-core r-cran-glmnet r-cran-proc. Data go to ${BENCH_DIR:-/tmp/biostat-bench}-N-P
# (384 MB for 2400x20000).
set -euo pipefail
cd "$(dirname "$0")/../.."
shapes=("$@")
[ ${#shapes[@]} -eq 0 ] && shapes=(1200x1000 2400x20000)
# BENCH_SCRATCH=dir builds in its own folder (so a `swift test` build in .build is kept).
scratch=(); [ -n "${BENCH_SCRATCH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH")
swift build -c release -j 1 "${scratch[@]}" --product BiostatisticsBenchmark >/dev/null 2>"${TMPDIR:-/tmp}/bench-build.err" \
  || { cat "${TMPDIR:-/tmp}/bench-build.err"; exit 1; }
bin="$(swift build -c release "${scratch[@]}" --show-bin-path)/BiostatisticsBenchmark"
log=$(mktemp)
trap 'rm -f "$log" "$log.r" "$log.s"' EXIT
echo "load before: $(uptime)" | tee -a "$log"
first=1
for shape in "${shapes[@]}"; do
  n=${shape%x*}; p=${shape#*x}
  dir=${BENCH_DIR:-/tmp/biostat-bench}-$n-$p
  roc=(); sroc=()
  if [ $first -eq 1 ]; then roc=(roc); sroc=(--roc); first=0; fi
  Rscript tools/biostat/bench.R "$dir" "$n" "$p" "${roc[@]}" | tee -a "$log"
  "$bin" "$dir" "${sroc[@]}" | tee -a "$log"
  # Per core, side by side: cv.glmnet and one worker started together, so both see the same load.
  Rscript tools/biostat/bench.R "$dir" "$n" "$p" reuse > "$log.r" &
  "$bin" "$dir" --threads 1 > "$log.s"
  wait
  cat "$log.r" "$log.s" | tee -a "$log"
done
echo "load after: $(uptime)" | tee -a "$log"
echo
awk '
  function near(a, b) { a += 0; b += 0; return (a - b <= 1e-8 * b && b - a <= 1e-8 * b) }
  function field(line, key,   i, a, k) {
    k = split(line, a, " ")
    for (i = 1; i <= k; i++) if (index(a[i], key "=") == 1) return substr(a[i], length(key) + 2)
    return ""
  }
  / cv n=/ {
    shape = field($0, "n") "x" field($0, "p")
    if (!(shape in seen)) { seen[shape] = 1; order[++count] = shape }
    who = $1 == "R" ? (field($0, "run") == "side-by-side" ? "R1" : "R") : (field($0, "threads") == "1" ? "S1" : "S2")
    wall[shape, who] = field($0, "wall"); cpu[shape, who] = field($0, "cpu")
    lmin[shape, who] = field($0, "lambda.min"); l1se[shape, who] = field($0, "lambda.1se")
  }
  END {
    print "| shape (n x p) | cv.glmnet s (CPU s) | her2mri s (CPU s), 2 workers | ratio | side by side, 1 thread each: cv.glmnet s (CPU) / her2mri s (CPU) | per-core ratio (wall, CPU) | lambda.min, lambda.1se as glmnet |"
    print "| --- | --- | --- | --- | --- | --- | --- |"
    for (i = 1; i <= count; i++) {
      s = order[i]
      same = (near(lmin[s, "R"], lmin[s, "S2"]) && near(l1se[s, "R"], l1se[s, "S2"]) && near(lmin[s, "R"], lmin[s, "S1"])) ? "yes" : "NO"
      printf "| %s | %.2f (%.2f) | %.2f (%.2f) | %.2fx | %.2f (%.2f) / %.2f (%.2f) | %.2fx, %.2fx | %s (%s, %s) |\n", s,
        wall[s, "R"], cpu[s, "R"], wall[s, "S2"], cpu[s, "S2"], wall[s, "R"] / wall[s, "S2"],
        wall[s, "R1"], cpu[s, "R1"], wall[s, "S1"], cpu[s, "S1"], wall[s, "R1"] / wall[s, "S1"], cpu[s, "R1"] / cpu[s, "S1"],
        same, lmin[s, "S2"], l1se[s, "S2"]
    }
  }' "$log"
