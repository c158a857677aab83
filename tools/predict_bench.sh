#!/bin/sh
# Issue 9's speed figure: `predict` of one 6-phase clinical-size study (DCE 256×256×80 at
# 0.7×0.7×2 mm) with all four backbones, stage by stage (PredictBenchmark), twice:
#   - seeded weights (drawn in memory: what runs without --weights-dir);
#   - weights read from safetensors files (the route of real use). ImageNet files cannot be
#     downloaded here, so the script writes torchvision / timm `state_dict()`s at their random
#     initialisation with `safetensors.torch.save_file` — the same tensors, layout and sizes as
#     the ImageNet files (VGG16 553 MB …) — into WORK/timing-only-weights/. They are for timing
#     only: never give them to train or predict (their features mean nothing, yet they are not
#     "seeded"). Needs PyTorch in tools/.venv-deep (`make bench` makes it); skipped without.
# A model trained with the four backbones comes from MODEL=… or is trained here on 16 standard
# studies (a few minutes). Not part of make test; run it on a quiet machine (prints the load).
#   tools/predict_bench.sh [WORK=/tmp/her2mri-predict-bench]
set -eu
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/her2mri-predict-bench}
BIN=.build/release
[ -x "$BIN/her2mri" ] && [ -x "$BIN/PredictBenchmark" ] || { echo "build first: swift build -c release" >&2; exit 1; }
mkdir -p "$WORK"
[ -d "$WORK/clinical/SYN0001" ] || "$BIN/her2mri" synth --out "$WORK/clinical" --patients 1 --seed 11 --size clinical >/dev/null
MODEL=${MODEL:-$WORK/model/model.json}
if [ ! -f "$MODEL" ]; then
  "$BIN/her2mri" synth --out "$WORK/cohort" --patients 16 --seed 12 >/dev/null
  "$BIN/her2mri" train --cohort "$WORK/cohort" --out "$MODEL" --folds 3 \
    --backbones resnet50,vgg16,efficientnet_b0,vit_small_patch16_224 >/dev/null
fi
echo "== seeded weights"
"$BIN/PredictBenchmark" "$WORK/clinical/SYN0001" --model "$MODEL" --runs 2 --out "$WORK/out-seeded"
PY=tools/.venv-deep/bin/python
if [ -x "$PY" ]; then
  W="$WORK/timing-only-weights"
  if [ ! -f "$W/vgg16.safetensors" ]; then
    mkdir -p "$W"
    echo "random initialisation, for timing only: not ImageNet weights, never for train or predict" > "$W/README"
    "$PY" - "$W" <<'PY'
import sys, torch, torchvision, timm
from safetensors.torch import save_file
torch.manual_seed(0)
models = {"resnet50": torchvision.models.resnet50(weights=None), "vgg16": torchvision.models.vgg16(weights=None),
          "efficientnet_b0": torchvision.models.efficientnet_b0(weights=None),
          "vit_small_patch16_224": timm.create_model("vit_small_patch16_224", pretrained=False)}
for name, m in models.items():
    save_file({k: v.contiguous() for k, v in m.state_dict().items()}, f"{sys.argv[1]}/{name}.safetensors")
PY
  fi
  echo "== weights read from files ($W)"
  "$BIN/PredictBenchmark" "$WORK/clinical/SYN0001" --model "$MODEL" --weights-dir "$W" --runs 2 --out "$WORK/out-files"
else
  echo "== weights from files: skipped (no PyTorch in tools/.venv-deep; make bench installs it)"
fi
