# Shared by the drop-folder scripts (sourced, not run): the binary, a demonstration model trained
# once on a small synthetic cohort with EfficientNet-B0 (as the suite's soak does), and drops.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${HER2MRI_BIN:-$ROOT/.build/release/her2mri}
[ -x "$BIN" ] || { echo "build first: swift build -c release --product her2mri" >&2; exit 1; }

# make_model DIR: DIR/cohort (16 synthetic studies) and DIR/model/model.json (labels alternate,
# so the classes are balanced whatever the seed draws).
make_model() {
  local dir=$1
  [ -f "$dir/model/model.json" ] && return 0
  mkdir -p "$dir/model"
  "$BIN" synth --out "$dir/cohort" --patients 16 --seed 12 >/dev/null
  awk -F, 'NR == 1 { print; next } { print $1 "," ((NR % 2 == 0) ? "positive" : "negative") "," $3 }' \
    "$dir/cohort/labels.csv" > "$dir/labels.csv"
  "$BIN" train --cohort "$dir/cohort" --labels "$dir/labels.csv" --out "$dir/model/model.json" \
    --backbones efficientnet_b0 --folds 3 >/dev/null
}

# make_drop COHORT TARGET I: a copy of study I mod 16 as a new patient (its own content hash), with READY.
make_drop() {
  local cohort=$1 target=$2 i=$3
  local base
  base=$(printf 'SYN%04d' $(( i % 16 + 1 )))
  cp -r "$cohort/$base" "$target"
  sed -i "s/\"id\" : \"\\([^\"]*\\)\"/\"id\" : \"\\1-$i\"/" "$target/study.json"
  touch "$target/READY"
}

# rss_kb PID: resident set size of a process, in kB.
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
