#!/usr/bin/env python3
"""Speed of `her2mri radiomics` beside pyradiomics, measured in one run on one machine.

A 256 x 256 x 80 volume at 0.7 x 0.7 x 2.0 mm (float32, textured background and a textured
30 mm spherical lesion), all default features (pyradiomics' default extractor: shape,
firstorder, glcm, glrlm, glszm, gldm, ngtdm = 107 features). Times are wall-clock minima of
--repeats runs, each from the NIfTI files on disk (reading included on both sides).
End to end is measured two ways: our command (a process: start-up, reading, SHA-256 of the
inputs, features, JSON on stdout) against pyradiomics' `execute(files)` inside an already
running interpreter (its start-up and imports not counted — the conservative ratio, its
diagnostics include an image hash too), and against pyradiomics' own command line
(`pyradiomics IMAGE MASK --format json`: a process, files in, JSON out — the same work).
pyradiomics is also timed on the lesion's bounding box (it does most of its whole-volume work
before cropping), for the fair inner-loop comparison. Prints the load average with the figures.

  tools/.venv-radiomics/bin/python tools/radiomics/bench.py --swift-bin .build/release/her2mri
"""
import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time

import nibabel as nib
import numpy as np
from radiomics import featureextractor


def make_case(folder):
    rng = np.random.default_rng(11)
    shape = (256, 256, 80)
    spacing = np.array([0.7, 0.7, 2.0])
    i, j, k = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    centre = np.array([128, 120, 40]) * spacing
    d = np.sqrt(((i * spacing[0] - centre[0]) ** 2) + ((j * spacing[1] - centre[1]) ** 2) + ((k * spacing[2] - centre[2]) ** 2))
    mask = (d <= 15.0).astype(np.uint8)
    image = 400 + 60 * np.sin(i / 9.0) * np.cos(j / 7.0) + rng.normal(0, 25, shape)
    image += mask * (350 + 120 * np.sin(i / 3.0 + k) * np.cos(j / 4.0) + rng.normal(0, 60, shape))
    affine = np.diag(list(spacing) + [1.0])
    paths = []
    for name, data, dtype in (("image.nii", image, np.float32), ("mask.nii", mask, np.uint8)):
        img = nib.Nifti1Image(data.astype(dtype), affine)
        img.set_qform(affine, code=1)
        img.set_sform(affine, code=1)
        p = os.path.join(folder, name)
        nib.save(img, p)
        paths.append(p)
    return paths, int(mask.sum())


def best(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--swift-bin", required=True)
    ap.add_argument("--bench-bin", help="RadiomicsBenchmark (in-memory timing); default beside --swift-bin")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    logging.getLogger("radiomics").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        (image, mask), voxels = make_case(folder)
        extractor = featureextractor.RadiomicsFeatureExtractor()
        ours = lambda: subprocess.run([args.swift_bin, "radiomics", image, mask, "--json"], check=True, capture_output=True)
        peer = lambda: extractor.execute(image, mask)
        peer_cli_bin = os.path.join(os.path.dirname(sys.executable), "pyradiomics")   # the venv's entry point
        out_json = os.path.join(folder, "peer.json")
        def peer_cli():
            if os.path.exists(out_json):
                os.remove(out_json)
            subprocess.run([peer_cli_bin, image, mask, "--format", "json", "-o", out_json], check=True, capture_output=True)
        # pyradiomics on the bounding box only (arrays cropped in memory, then handed over).
        import SimpleITK as sitk
        im, mk = sitk.ReadImage(image), sitk.ReadImage(mask)
        bb = np.argwhere(sitk.GetArrayFromImage(mk) > 0)
        lo, hi = bb.min(0), bb.max(0) + 1
        crop_im = im[int(lo[2]):int(hi[2]), int(lo[1]):int(hi[1]), int(lo[0]):int(hi[0])]
        crop_mk = mk[int(lo[2]):int(hi[2]), int(lo[1]):int(hi[1]), int(lo[0]):int(hi[0])]
        peer_cropped = lambda: extractor.execute(crop_im, crop_mk)
        peer_memory = lambda: extractor.execute(im, mk)
        n_features = len([k for k in peer().keys() if not k.startswith("diagnostics")])
        ours()
        t_ours = best(ours, args.repeats)
        t_peer = best(peer, args.repeats)
        t_peer_cli = best(peer_cli, args.repeats)
        t_crop = best(peer_cropped, args.repeats)
        t_peer_memory = best(peer_memory, args.repeats)
        bench_bin = args.bench_bin or os.path.join(os.path.dirname(args.swift_bin), "RadiomicsBenchmark")
        out = subprocess.run([bench_bin, image, mask, str(args.repeats)], check=True, capture_output=True, text=True).stdout
        import json
        t_memory = json.loads(out)["seconds"]
        load = os.getloadavg()
        print(f"lesion: 30 mm sphere, {voxels} voxels in a 256x256x80 volume (0.7x0.7x2.0 mm), {n_features} features")
        print("end to end, from the NIfTI files (reading and input hashes included on both sides):")
        print(f"  her2mri radiomics (one process)              {t_ours:8.3f} s")
        print(f"  pyradiomics execute(files), warm interpreter {t_peer:8.3f} s   pyradiomics / ours {t_peer / t_ours:6.1f}x")
        print(f"  pyradiomics command line (process, JSON out) {t_peer_cli:8.3f} s   pyradiomics / ours {t_peer_cli / t_ours:6.1f}x")
        print("extraction only, images in memory:")
        print(f"  RadiomicsExtractor.extract                   {t_memory:8.3f} s")
        print(f"  pyradiomics execute(sitk images)             {t_peer_memory:8.3f} s   pyradiomics / ours {t_peer_memory / t_memory:6.1f}x")
        print(f"  pyradiomics on the bounding box only         {t_crop:8.3f} s   pyradiomics / ours {t_crop / t_memory:6.1f}x")
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
