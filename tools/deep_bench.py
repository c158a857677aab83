#!/usr/bin/env python3
"""Benchmark of the DeepFeatures backbones beside PyTorch and ONNX Runtime, in one run.

For each backbone, batch size and thread count it measures, back to back on the same machine:
  - her2mri bench (our engine, oneDNN kernels),
  - PyTorch eager on the CPU (NCHW, and channels_last),
  - ONNX Runtime (CPU execution provider) on the model exported with torch.onnx.export,
and prints images/s, GFLOP/s and the ratios ours / PyTorch (the better of its two layouts) and
ours / ONNX Runtime. Timing: one warm-up call, then repeated calls for --seconds, median per call.
Weights are random (timing does not depend on them). The machine may be shared: compare the
ratios, measured side by side, rather than absolute figures across runs.

  make bench            # or:
  tools/.venv-deep/bin/python tools/deep_bench.py --swift-bin .build/release/her2mri
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
import onnxruntime as ort
import timm
import torch
import torchvision

NAMES = ["resnet50", "vgg16", "efficientnet_b0", "vit_small_patch16_224"]


def build(name):
    if name == "resnet50":
        m = torchvision.models.resnet50(weights=None)
        m.fc = torch.nn.Identity()
    elif name == "vgg16":
        m = torchvision.models.vgg16(weights=None)
        m.classifier = m.classifier[:5]
    elif name == "efficientnet_b0":
        m = torchvision.models.efficientnet_b0(weights=None)
        m.classifier = torch.nn.Identity()
    else:
        m = timm.create_model(name, pretrained=False, num_classes=0)
    return m.eval()


def timed(fn, seconds):
    fn()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(times) < 3:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--swift-bin", default=".build/release/her2mri")
    ap.add_argument("--backbones", default=",".join(NAMES))
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    threads = [int(t) for t in args.threads.split(",")]
    rows = []
    tmp = tempfile.mkdtemp(prefix="deep_bench_")
    with open("/proc/loadavg") as fh:
        load_before = fh.read().split()[:3]
    for name in args.backbones.split(","):
        ours = subprocess.run([args.swift_bin, "bench", "--backbone", name, "--batches", args.batches,
                               "--threads", args.threads, "--seconds", str(args.seconds), "--json"],
                              check=True, capture_output=True, text=True).stdout
        ours = {(r["batch"], r["threads"]): r for r in map(json.loads, ours.splitlines())}
        model = build(name)
        onnx_path = os.path.join(tmp, f"{name}.onnx")
        with torch.no_grad():
            torch.onnx.export(model, (torch.randn(1, 3, 224, 224),), onnx_path, dynamo=False,
                              input_names=["x"], output_names=["y"],
                              dynamic_axes={"x": {0: "n"}, "y": {0: "n"}}, opset_version=17)
        model_cl = build(name).to(memory_format=torch.channels_last)
        for t in threads:
            torch.set_num_threads(t)
            so = ort.SessionOptions()
            so.intra_op_num_threads = t
            so.inter_op_num_threads = 1
            so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
            for b in batches:
                x = torch.randn(b, 3, 224, 224)
                xcl = x.to(memory_format=torch.channels_last)
                with torch.no_grad():
                    pt = b / timed(lambda: model(x), args.seconds)
                    ptcl = b / timed(lambda: model_cl(xcl), args.seconds)
                xn = x.numpy()
                on = b / timed(lambda: sess.run(None, {"x": xn}), args.seconds)
                r = ours[(b, t)]
                rows.append((name, b, t, r["imagesPerSecond"], r["imagesPerSecond"] * r["gflopPerImage"],
                             pt, ptcl, on, r["gflopPerImage"]))
                print(f"  measured {name} batch {b} threads {t}", flush=True)
    with open("/proc/loadavg") as fh:
        load_after = fh.read().split()[:3]
    print()
    print(f"load average before {' '.join(load_before)}, after {' '.join(load_after)} (2 cores; >2 means shared)")
    print(f"torch {torch.__version__}, onnxruntime {ort.__version__}; images/s (median), GFLOP/s = images/s x GFLOP/image")
    head = f"{'backbone':24} {'b':>2} {'t':>2} {'ours':>8} {'GFLOP/s':>8} {'torch':>8} {'torch CL':>8} {'ORT':>8} {'ORT GF/s':>8} {'/torch':>7} {'/ORT':>6}"
    print(head)
    print("-" * len(head))
    for (name, b, t, us, gf, pt, ptcl, on, gpi) in rows:
        print(f"{name:24} {b:2d} {t:2d} {us:8.2f} {gf:8.1f} {pt:8.2f} {ptcl:8.2f} {on:8.2f} {on * gpi:8.1f} "
              f"{us / max(pt, ptcl):7.2f} {us / on:6.2f}")


if __name__ == "__main__":
    main()
