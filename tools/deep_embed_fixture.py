#!/usr/bin/env python3
"""A whole EfficientNet-B0 state_dict written by safetensors.torch, small enough to commit,
for the end-to-end test of `her2mri embed --weights` (Tests/EndToEndTests/EmbedCommandTests).

The smallest of the four backbones still has 5.3 M parameters (21 MB as float32), so the
weights are made *compressible* rather than small: every tensor is the formula weight of
tools/deep_fixtures.py over its first 997 elements, repeated (997 is prime, so neighbouring
output channels and kernel positions still see different values); the batch-norm running
statistics come from real activations (train-mode passes over calibration images) and are
stored as float16, as a half-precision checkpoint would. The file is exactly what
`safetensors.torch.save_file(model.state_dict())` writes (classifier included, which the
feature extractor must ignore, and `num_batches_tracked` as int64), then gzipped (mtime 0)
for the repository; the test unzips it with gzip and checks the SHA-256 that `embed` reports.

Writes to fixtures/deepfeatures/:
  embed_efficientnet_b0.safetensors.gz   the state_dict file, gzipped
  embed_efficientnet_b0.npy              PyTorch's features (1, 1280) of that input, float32
  embed_manifest.json                    versions, the file's SHA-256, the input formula

Input image (1, 3, 224, 224), float32: x[n] = ((n·7919) mod 1999) / 1999 · 2 − 1 over the
flat index n (exact in float64, then rounded once to float32; the test builds the same).

Rerun (the venv of `make bench`):
  tools/.venv-deep/bin/python tools/deep_embed_fixture.py
"""
import gzip
import hashlib
import io
import json
import os
import platform
import sys

import numpy as np
import safetensors
import torch
import torchvision
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deep_fixtures import OUT, image_batch, unit  # noqa: E402

PERIOD = 997


def periodic_formula(name, shape):
    """deep_fixtures.formula with unit() taken over the first 997 elements and repeated."""
    count = int(np.prod(shape)) if len(shape) else 1
    leaf = name.split(".")[-1]
    v = np.resize(unit(name, min(count, PERIOD)), count)
    if len(shape) >= 2:
        fan_in = int(np.prod(shape[1:]))
        out = np.float32(np.sqrt(6.0 / fan_in)) * v
    elif leaf == "weight":
        out = np.float32(1) + np.float32(0.25) * v
    else:
        out = np.float32(0.2) * v
    return out.astype(np.float32).reshape(shape)


def input_image():
    n = np.arange(3 * 224 * 224, dtype=np.int64)
    x = ((n * 7919) % 1999).astype(np.float64) / 1999.0 * 2.0 - 1.0
    return x.astype(np.float32).reshape(1, 3, 224, 224)


def main():
    torch.set_num_threads(2)
    m = torchvision.models.efficientnet_b0(weights=None)
    with torch.no_grad():
        for name, t in m.state_dict().items():
            if name.endswith(("running_mean", "running_var", "num_batches_tracked")):
                continue
            t.copy_(torch.from_numpy(periodic_formula(name, tuple(t.shape))))
    bns = [mod for mod in m.modules() if isinstance(mod, torch.nn.BatchNorm2d)]
    for mod in bns:
        mod.reset_running_stats()
        mod.momentum = None
    m.train()
    torch.manual_seed(0)   # train mode draws stochastic depth: seed it, as deep_fixtures.py does
    with torch.no_grad():
        m(torch.from_numpy(image_batch("calibration", 4)))
        for mod in bns:   # stored as float16: keep the values the file will hold
            mod.running_mean.copy_(mod.running_mean.half().float())
            mod.running_var.copy_(mod.running_var.half().float())
    m.eval()
    sd = {k: (v.half() if k.endswith(("running_mean", "running_var")) else v).contiguous()
          for k, v in m.state_dict().items()}
    raw_path = os.path.join(OUT, "embed_efficientnet_b0.safetensors")
    save_file(sd, raw_path)
    raw = open(raw_path, "rb").read()
    os.remove(raw_path)
    digest = hashlib.sha256(raw).hexdigest()
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    with open(raw_path + ".gz", "wb") as fh:
        fh.write(buf.getvalue())

    m.classifier = torch.nn.Identity()
    x = torch.from_numpy(input_image())
    with torch.no_grad():
        f = m(x).numpy().astype(np.float32)
        # The features must depend on the input (FACTS: random EfficientNets may not).
        other = m(torch.from_numpy(-input_image())).numpy().astype(np.float64)
    g = f[0].astype(np.float64)
    cos = float(g @ other[0] / (np.linalg.norm(g) * np.linalg.norm(other[0])))
    print(f"features {f.shape}, max |f| {np.abs(f).max():.4g}, cosine to the negated input's {cos:.6f}")
    assert cos < 0.999, "features barely depend on the input"
    np.save(os.path.join(OUT, "embed_efficientnet_b0.npy"), f)
    manifest = {"script": "tools/deep_embed_fixture.py", "torch": torch.__version__,
                "torchvision": torchvision.__version__, "safetensors": safetensors.__version__,
                "python": platform.python_version(),
                "weights": "embed_efficientnet_b0.safetensors.gz", "sha256": digest, "bytes": len(raw),
                "tensors": len(sd), "period": PERIOD,
                "input": "x[n] = ((n * 7919) mod 1999) / 1999 * 2 - 1, float64 then float32, shape (1, 3, 224, 224)",
                "features": "embed_efficientnet_b0.npy", "maxAbsFeature": float(np.abs(f).max()),
                "cosineToNegatedInput": cos}
    with open(os.path.join(OUT, "embed_manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)
    print(f"{raw_path}.gz: {len(buf.getvalue())} bytes (raw {len(raw)}), sha256 {digest}")


if __name__ == "__main__":
    main()
