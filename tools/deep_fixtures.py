#!/usr/bin/env python3
"""Reference fixtures for the DeepFeatures room (PyTorch / torchvision / timm).

For each backbone this script
  1. builds the network exactly as torchvision / timm define it (weights=None),
  2. fills every parameter with the *formula weights* below, which the Swift tests rebuild
     bit for bit (Tests/DeepFeaturesTests/FormulaWeights.swift), so no 100-500 MB file is needed,
  3. takes the batch-norm running statistics from real activations (train-mode forward passes
     over calibration images, cumulative average), rounds them to the dtype they are stored in,
  4. runs the fixed formula inputs (3 images) and writes the expected features,
  5. writes the tensors the formula does not define (running statistics; VGG biases; ViT
     cls_token and final norm) with safetensors.torch.save_file, straight from the model's
     state_dict(), including buffers the engine must ignore (num_batches_tracked, fc.bias).

Parity tests on random networks are easy to fool (../shared/FACTS.md): every parameter here is
non-trivial (biases, norm affine, cls_token, position embeddings) and the script checks that
the reference features differ between inputs.

Rerun (about 1 minute on 2 cores):
  python3 -m venv tools/.venv-deep
  tools/.venv-deep/bin/pip install torch torchvision timm safetensors onnx onnxruntime
  tools/.venv-deep/bin/python tools/deep_fixtures.py [--full DIR]
--full DIR also writes each network's whole state_dict() (formula weights) to DIR/<name>.safetensors
for the large test (HER2MRI_DEEP_FULL=DIR swift test -c release --filter DeepFeaturesTests).
"""
import argparse
import json
import math
import os
import platform

import numpy as np
import timm
import torch
import torchvision
import torchvision.transforms.functional as TF
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "deepfeatures")
M32 = np.uint64(0xFFFFFFFF)


def fnv1a(s):
    h = 0x811C9DC5
    for b in s.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def unit(name, count):
    """v in [-1, 1): an integer hash of (index, FNV-1a(name)), exact in float32."""
    i = np.arange(count, dtype=np.uint64)
    x = (i * np.uint64(0x9E3779B1) + np.uint64(fnv1a(name))) & M32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & M32
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & M32
    x ^= x >> np.uint64(16)
    u = (x >> np.uint64(8)).astype(np.float32) * np.float32(2.0 ** -24)
    return u * np.float32(2) - np.float32(1)


def formula(name, shape):
    """The formula weights: see FormulaWeights.swift for the twin."""
    count = int(np.prod(shape)) if len(shape) else 1
    leaf = name.split(".")[-1]
    v = unit(name, count)
    if name in ("cls_token", "pos_embed"):
        out = np.float32(0.5) * v
    elif len(shape) >= 2:
        fan_in = int(np.prod(shape[1:]))
        out = np.float32(math.sqrt(6.0 / fan_in)) * v
    elif leaf == "weight":
        out = np.float32(1) + np.float32(0.25) * v
    else:  # bias
        out = np.float32(0.2) * v
    return out.reshape(shape)


def image_batch(prefix, n):
    """Image k: (1 + 0.5 k) * unit('<prefix>.<k>') + 0.25 (k - 1), in float32."""
    return np.stack([(np.float32(1 + 0.5 * k) * unit(f"{prefix}.{k}", 3 * 224 * 224) + np.float32(0.25 * (k - 1)))
                     .reshape(3, 224, 224) for k in range(n)])


def fill(model):
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith(("running_mean", "running_var", "num_batches_tracked")):
                continue
            t.copy_(torch.from_numpy(formula(name, tuple(t.shape))))


def calibrate(model, dtype):
    """Running statistics from real activations, rounded to the stored dtype."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    torch.manual_seed(0)
    with torch.no_grad():
        model(torch.from_numpy(image_batch("calibration", 4)))
        for m in bns:
            m.running_mean.copy_(m.running_mean.to(dtype).float())
            m.running_var.copy_(m.running_var.to(dtype).float())
    model.eval()


def check_distinct(name, f):
    f = f.astype(np.float64)
    cos = lambda a, b: float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    c01 = cos(f[0], f[1])
    g = f - f.mean(0)
    print(f"{name}: shape {f.shape}, max |f| {np.abs(f).max():.4g}, cos(f0,f1) {c01:.6f}, "
          f"|f0-f1|/|f0| {np.linalg.norm(f[0]-f[1])/np.linalg.norm(f[0]):.3g}, centred norm {np.linalg.norm(g):.4g}")
    assert c01 < 0.9999, f"{name}: reference features barely depend on the input"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", help="also write whole state_dicts here (large)")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(2)
    x = torch.from_numpy(image_batch("input", 3))
    manifest = {"script": "tools/deep_fixtures.py", "torch": torch.__version__,
                "torchvision": torchvision.__version__, "timm": timm.__version__,
                "python": platform.python_version(), "inputs": "(1 + 0.5 k) * unit('input.<k>', 3*224*224) + 0.25 (k - 1), k = 0..2",
                "networks": {}}

    def record(key, model, feats, stored, dtype_note):
        f = feats.detach().numpy().astype(np.float32)
        check_distinct(key, f)
        np.save(os.path.join(OUT, f"{key}.npy"), f)
        manifest["networks"][key] = {"features": f"{key}.npy", "shape": list(f.shape), "stored": dtype_note}

    # ResNet50: running statistics in bfloat16, plus unused fc.bias and num_batches_tracked.
    m = torchvision.models.resnet50(weights=None)
    fill(m)
    calibrate(m, torch.bfloat16)
    sd = m.state_dict()
    stored = {k: (v.to(torch.bfloat16) if v.is_floating_point() else v).contiguous()
              for k, v in sd.items() if k.endswith(("running_mean", "running_var", "num_batches_tracked")) or k == "fc.bias"}
    save_file(stored, os.path.join(OUT, "resnet50_buffers.safetensors"))
    m.fc = torch.nn.Identity()
    with torch.no_grad():
        record("resnet50", m, m(x), stored, "running stats BF16")
    full_sd = {k: v.contiguous() for k, v in sd.items()}
    if args.full:
        save_file(full_sd, os.path.join(args.full, "resnet50.safetensors"))

    # VGG16: biases from the file (F32), weights from the formula.
    m = torchvision.models.vgg16(weights=None)
    fill(m)
    m.eval()
    sd = m.state_dict()
    stored = {k: v.contiguous() for k, v in sd.items() if k.endswith("bias")}
    save_file(stored, os.path.join(OUT, "vgg16_buffers.safetensors"))
    if args.full:
        save_file({k: v.contiguous() for k, v in sd.items()}, os.path.join(args.full, "vgg16.safetensors"))
    with torch.no_grad():
        record("vgg16_gap", m, m.features(x).mean((2, 3)), stored, "biases F32")
        m.classifier = m.classifier[:5]
        record("vgg16_fc7", m, m(x), stored, "biases F32")

    # EfficientNet-B0: running statistics in float16.
    m = torchvision.models.efficientnet_b0(weights=None)
    fill(m)
    calibrate(m, torch.float16)
    sd = m.state_dict()
    stored = {k: (v.to(torch.float16) if v.is_floating_point() else v).contiguous()
              for k, v in sd.items() if k.endswith(("running_mean", "running_var", "num_batches_tracked"))}
    save_file(stored, os.path.join(OUT, "efficientnet_b0_buffers.safetensors"))
    if args.full:
        save_file({k: v.contiguous() for k, v in sd.items()}, os.path.join(args.full, "efficientnet_b0.safetensors"))
    m.classifier = torch.nn.Identity()
    with torch.no_grad():
        record("efficientnet_b0", m, m(x), stored, "running stats F16")

    # ViT-Small/16: cls_token and the final norm from the file.
    m = timm.create_model("vit_small_patch16_224", pretrained=False, num_classes=0)
    fill(m)
    m.eval()
    sd = m.state_dict()
    stored = {k: v.contiguous() for k, v in sd.items() if k in ("cls_token", "norm.weight", "norm.bias")}
    save_file(stored, os.path.join(OUT, "vit_small_patch16_224_buffers.safetensors"))
    if args.full:
        save_file({k: v.contiguous() for k, v in sd.items()}, os.path.join(args.full, "vit_small_patch16_224.safetensors"))
    with torch.no_grad():
        record("vit_small_patch16_224", m, m(x), stored, "cls_token, norm F32")

    # dtype conversion: the same values as F32, F16, BF16, and an I64 tensor that is no weight.
    vals = torch.tensor([0.0, 1.0, -2.5, 3.140625, 1e-3, -65504.0, 0.333333, 1e4])
    save_file({"f32": vals.clone(), "f16": vals.to(torch.float16), "bf16": vals.to(torch.bfloat16),
               "f16_as_f32": vals.to(torch.float16).float(), "bf16_as_f32": vals.to(torch.bfloat16).float(),
               "i64": torch.arange(8, dtype=torch.int64)}, os.path.join(OUT, "dtypes.safetensors"))

    # Preprocessing: a 2-D patch in [0, 1], replicated to 3 channels, resized with torchvision's
    # bilinear antialias resize (down and up), normalised with the ImageNet mean / std.
    patch = ((unit("patch", 37 * 53) + 1) / 2).reshape(37, 53).astype(np.float32)
    np.save(os.path.join(OUT, "patch.npy"), patch)
    t = torch.from_numpy(patch)[None].expand(3, 37, 53)
    for (oh, ow) in [(20, 15), (64, 80), (224, 224)]:
        r = TF.resize(t, [oh, ow], interpolation=TF.InterpolationMode.BILINEAR, antialias=True)
        r = TF.normalize(r, mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
        if (oh, ow) == (224, 224):  # keep the fixture small: rows 0, 1, 100 and 223 only
            r = r[:, [0, 1, 100, 223], :]
        np.save(os.path.join(OUT, f"patch_resized_{oh}x{ow}.npy"), r.numpy().astype(np.float32))
    manifest["preprocessing"] = "patch.npy -> TF.resize(bilinear, antialias=True) -> TF.normalize(ImageNet); 224x224 keeps rows 0,1,100,223"

    with open(os.path.join(OUT, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)
    print("written to", os.path.abspath(OUT))


if __name__ == "__main__":
    main()
