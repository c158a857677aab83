#!/usr/bin/env python3
"""Save the ImageNet weights of the four backbones as safetensors, for `--weights-dir`.

No weights ship with her2mri and none are downloaded at run time. On a machine WITH internet
access, run:

    python3 -m venv .venv-weights
    .venv-weights/bin/pip install torch torchvision timm safetensors
    .venv-weights/bin/python tools/save_pretrained_weights.py --out weights/

It writes into the folder
    resnet50.safetensors               torchvision ResNet50_Weights.IMAGENET1K_V2
    vgg16.safetensors                  torchvision VGG16_Weights.IMAGENET1K_V1
    efficientnet_b0.safetensors        torchvision EfficientNet_B0_Weights.IMAGENET1K_V1
    vit_small_patch16_224.safetensors  timm vit_small_patch16_224 (augreg_in21k_ft_in1k)
    SHA256SUMS                         `sha256sum -c SHA256SUMS` checks them after copying
    weights.json                       names, sources, library versions, SHA-256 and sizes
each file the model's own `state_dict()` saved by `safetensors.torch.save_file` — the layout
DeepFeatures reads. Copy the folder to the her2mri machine and give it to both commands:

    her2mri train --cohort DIR --out model.json --weights-dir weights/
    her2mri predict STUDY --model model.json --out OUT --weights-dir weights/

model.json records each file's SHA-256 (`sha256:<hex>`), and predict refuses weights whose hash
differs from the model's. Without --weights-dir the backbones use deterministic seeded weights
(`seeded:<seed>`): their features carry no learned meaning and every output says so.

Options: --backbones resnet50,vgg16 (a subset); --check DIR only re-verifies SHA256SUMS.
Licences: torchvision weights are BSD-3-Clause; the timm ViT weights follow their model card
(Apache-2.0 for augreg). Check them for your use.
"""
import argparse
import hashlib
import json
import os
import sys

BACKBONES = ["resnet50", "vgg16", "efficientnet_b0", "vit_small_patch16_224"]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build(name):
    """The pretrained network and a description of where its weights come from."""
    import timm
    import torchvision
    if name == "resnet50":
        w = torchvision.models.ResNet50_Weights.IMAGENET1K_V2
        return torchvision.models.resnet50(weights=w), f"torchvision {w}"
    if name == "vgg16":
        w = torchvision.models.VGG16_Weights.IMAGENET1K_V1
        return torchvision.models.vgg16(weights=w), f"torchvision {w}"
    if name == "efficientnet_b0":
        w = torchvision.models.EfficientNet_B0_Weights.IMAGENET1K_V1
        return torchvision.models.efficientnet_b0(weights=w), f"torchvision {w}"
    if name == "vit_small_patch16_224":
        return timm.create_model("vit_small_patch16_224", pretrained=True), "timm vit_small_patch16_224 (default pretrained tag)"
    raise SystemExit(f"unknown backbone {name}; choose from {', '.join(BACKBONES)}")


def check(folder):
    sums = os.path.join(folder, "SHA256SUMS")
    bad = 0
    with open(sums) as f:
        for line in f:
            digest, name = line.split()
            got = sha256(os.path.join(folder, name))
            print(f"{name}: {'OK' if got == digest else 'MISMATCH ' + got}")
            bad += got != digest
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="folder to write (created)")
    ap.add_argument("--backbones", default=",".join(BACKBONES))
    ap.add_argument("--check", metavar="DIR", help="only verify DIR/SHA256SUMS")
    args = ap.parse_args()
    if args.check:
        return check(args.check)
    if not args.out:
        ap.error("--out is required")
    import safetensors.torch
    import timm
    import torch
    import torchvision
    names = args.backbones.split(",")
    os.makedirs(args.out, exist_ok=True)
    records = []
    for name in names:
        model, source = build(name)
        model.eval()
        state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
        path = os.path.join(args.out, f"{name}.safetensors")
        tmp = path + ".tmp"
        safetensors.torch.save_file(state, tmp, metadata={"source": source})
        os.replace(tmp, path)
        digest = sha256(path)
        records.append({"backbone": name, "file": os.path.basename(path), "source": source,
                        "sha256": digest, "bytes": os.path.getsize(path)})
        print(f"{path}: sha256:{digest}")
    with open(os.path.join(args.out, "SHA256SUMS"), "w") as f:
        for r in records:
            f.write(f"{r['sha256']}  {r['file']}\n")
    with open(os.path.join(args.out, "weights.json"), "w") as f:
        json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__, "timm": timm.__version__,
                   "python": sys.version.split()[0], "weights": records}, f, indent=2)
    print(f"wrote {len(records)} weight files, SHA256SUMS and weights.json to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
