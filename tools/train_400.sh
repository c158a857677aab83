#!/bin/sh
# The 400-study synthetic run of issue 9: train on centres A–C, validate on centre D.
#
#   tools/train_400.sh [WORKDIR] [SEED]      (default WORKDIR=/tmp/her2mri-train400, SEED=400)
#
# Prints: validation AUC of the combined and the clinical model with DeLong intervals, DeLong's
# p (combined vs clinical), the best achievable AUC (trueProbability of the same validation
# patients, from truth/truth.csv), train throughput (studies per hour, first run = features
# extracted; second run = from the feature cache), peak memory of each train run
# (/usr/bin/time -v), and whether the same seed gives the same model.json byte for byte
# (SOURCE_DATE_EPOCH fixes the creation time, which is outside the content hash).
# With FAMILIES=deep,radiomics it also trains the handcrafted-radiomics baseline and prints its
# validation AUC and DeLong's test deep vs radiomics (a deep-only feature cache from an earlier
# run in the same WORKDIR is reused: only radiomics is computed).
# Not part of `make test` (hours on 2 cores with all four backbones; BACKBONES=resnet50 for a
# shorter run). Needs a release build: swift build -c release.
set -eu
WORK=${1:-/tmp/her2mri-train400}
SEED=${2:-400}
PATIENTS=${PATIENTS:-400}
BACKBONES=${BACKBONES:-resnet50,vgg16,efficientnet_b0,vit_small_patch16_224}
FAMILIES=${FAMILIES:-deep}
BIN=${BIN:-$(dirname "$0")/../.build/release/her2mri}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1764547200}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK"
echo "load before: $(uptime)"
if [ ! -f "$WORK/cohort/labels.csv" ]; then
  "$BIN" synth --out "$WORK/cohort" --patients "$PATIENTS" --seed "$SEED"
fi
run_train() {  # $1 = output folder
  mkdir -p "$1"
  start=$(date +%s)
  $TIME -v "$BIN" train --cohort "$WORK/cohort" --labels "$WORK/cohort/labels.csv" --out "$1/model.json" \
      --validate-on-centre D --folds 10 --seed "$SEED" --backbones "$BACKBONES" --feature-families "$FAMILIES" \
      > "$1/train.out" 2> "$1/train.time"
  end=$(date +%s)
  echo "$((end - start))"
}
# A deep-only cache from an earlier run (FAMILIES=deep) serves the deep part of a
# deep,radiomics run: keep run1's cache in place.
t1=$(run_train "$WORK/run1")
# The second run reads the first run's feature cache (same --out folder's cache would be reused;
# copy it so both runs are independent files).
mkdir -p "$WORK/run2" && cp -r "$WORK/run1/feature-cache" "$WORK/run2/" 2>/dev/null || true
t2=$(run_train "$WORK/run2")
cat "$WORK/run1/train.out"
echo "load after: $(uptime)"
python3 - "$WORK" "$t1" "$t2" "$PATIENTS" <<'PY'
import csv, json, re, sys
work, t1, t2, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = json.load(open(f"{work}/run1/training_summary.json"))
v = s["validation"]
truth = {r["studyId"]: r for r in csv.DictReader(open(f"{work}/cohort/truth/truth.csv"))}
val = [r for r in truth.values() if r["centre"] == "D"]
pos = [float(r["trueProbability"]) for r in val if r["her2"] == "positive"]
neg = [float(r["trueProbability"]) for r in val if r["her2"] == "negative"]
best = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg) / (len(pos) * len(neg))
def peak(f):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f).read())
    return int(m.group(1)) / 1024 / 1024 if m else float("nan")
m = v["models"]
print(f"validation on centre D: n = {v['n']} ({v['positives']} HER2-positive)")
for k in ("combined", "clinical", "deep", "radiomics"):
    if k in m:
        print(f"  AUC {k:9s} {m[k]['auc']:.3f} (95% CI {m[k]['ci95'][0]:.3f}-{m[k]['ci95'][1]:.3f})")
print(f"  DeLong combined vs clinical: z = {v['delongCombinedVsClinical']['z']:.3f}, p = {v['delongCombinedVsClinical']['p']:.4g}")
if "delongDeepVsRadiomics" in v:
    d = v["delongDeepVsRadiomics"]
    r = s["radiomics"]
    print(f"  DeLong deep vs radiomics:    z = {d['z']:.3f}, p = {d['p']:.4g}")
    print(f"  radiomics rad-score: {len(r['selectedFeatures'])} of {r['featureSelection']['featuresAfterICC']} features after ICC (of {r['featureSelection']['featuresIn']})")
print(f"  best achievable AUC (trueProbability, same patients): {best:.3f}; gap of the combined model {best - m['combined']['auc']:.3f}")
print(f"train run 1 (features extracted): {t1} s, {3600 * n / max(t1, 1):.0f} studies/hour, peak memory {peak(f'{work}/run1/train.time'):.2f} GB")
print(f"train run 2 (feature cache):      {t2} s, {3600 * n / max(t2, 1):.0f} studies/hour, peak memory {peak(f'{work}/run2/train.time'):.2f} GB")
a, b = open(f"{work}/run1/model.json", "rb").read(), open(f"{work}/run2/model.json", "rb").read()
print("same seed, same model.json bytes:", "yes" if a == b else "NO")
PY
