#!/usr/bin/env python3
"""Reference values for the Radiomics room, made by pyradiomics (the peer), never by our code.

Writes into fixtures/radiomics/:
  cases/<case>_image.nii.gz, cases/<case>_mask.nii.gz   small images and masks (see CASES)
  params/<name>.yaml                                      pyradiomics parameter files
  pyradiomics_reference.json                              {case: {params: {feature: value}}}

Images: real scanner files from ../shared/realdata/nifti (nibabel's test data) with a synthetic
mask, synthetic tumours made by `her2mri synth` (cropped around the tumour so the files stay
small), a constant image (edge case) and the IBSI 1 digital phantom.

Rerun (from the package root; needs the venv with pyradiomics-bhklab 3.1.4, which is
pyradiomics 3.1 built from wheels):
  python3 -m venv tools/.venv-radiomics
  tools/.venv-radiomics/bin/pip install pyradiomics-bhklab==3.1.4 nibabel pyyaml
  swift build -c release && .build/release/her2mri synth --out /tmp/rsynth --patients 3 --seed 7
  tools/.venv-radiomics/bin/python tools/radiomics/make_fixtures.py --synth /tmp/rsynth \
      --phantom DIR_WITH_IBSI_phantom.nii.gz_AND_mask.nii.gz
"""
import argparse
import json
import logging
import os
import sys

import nibabel as nib
import numpy as np
import radiomics
from radiomics import featureextractor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "fixtures", "radiomics")
REAL = os.path.join(ROOT, "..", "shared", "realdata", "nifti")

PARAMS = {
    "default": "imageType:\n  Original: {}\n",
    "binwidth10": "setting:\n  binWidth: 10\n",
    "bincount16": "setting:\n  binCount: 16\n",
    "resample_bspline": "setting:\n  resampledPixelSpacing: [1.5, 1.5, 1.5]\n",
    "resample_linear_bw10": "setting:\n  resampledPixelSpacing: [1.5, 1.5, 1.5]\n  interpolator: sitkLinear\n  binWidth: 10\n",
    "normalize": "setting:\n  normalize: true\n  normalizeScale: 100\n  binWidth: 5\n",
}
# anatomical.nii spans -135 … 13190 inside its mask: wide bins keep pyradiomics' O(Ng³) MCC quick.
WIDE_PARAMS = {
    "binwidth200": "setting:\n  binWidth: 200\n",
    "resample_bspline_bw200": "setting:\n  resampledPixelSpacing: [1.5, 1.5, 1.5]\n  binWidth: 200\n",
}
# The IBSI phantom has grey levels 1…9: bin width 1 keeps them (IBSI's "no discretisation").
PHANTOM_PARAMS = {"phantom_bw1": "setting:\n  binWidth: 1\n"}


def blob_mask(shape, centre, radii, seed):
    """An irregular ellipsoid: a smooth, seeded wobble of the radius."""
    rng = np.random.default_rng(seed)
    a, b, c = rng.uniform(0, 2 * np.pi, 3)
    i, j, k = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    r = ((i - centre[0]) / radii[0]) ** 2 + ((j - centre[1]) / radii[1]) ** 2 + ((k - centre[2]) / radii[2]) ** 2
    wobble = 0.18 * np.sin(0.9 * i + a) * np.cos(0.7 * j + b) + 0.1 * np.sin(1.3 * k + c)
    return (r < 1 + wobble).astype(np.uint8)


def save(data, affine, path, dtype):
    img = nib.Nifti1Image(np.asarray(data).astype(dtype), affine)
    img.header.set_data_dtype(dtype)
    img.set_qform(affine, code=1)
    img.set_sform(affine, code=1)
    nib.save(img, path)


def crop(img_data, mask_data, affine, margin):
    idx = np.argwhere(mask_data > 0)
    lo = np.maximum(idx.min(0) - margin, 0)
    hi = np.minimum(idx.max(0) + margin + 1, mask_data.shape)
    sl = tuple(slice(a, b) for a, b in zip(lo, hi))
    shifted = affine.copy()
    shifted[:3, 3] = affine[:3, :3] @ lo + affine[:3, 3]
    return img_data[sl], mask_data[sl], shifted


def make_cases(synth, phantom):
    cases = {}
    d = os.path.join(OUT, "cases")
    os.makedirs(d, exist_ok=True)

    def add(name, image, mask, affine, dtype):
        save(image, affine, os.path.join(d, f"{name}_image.nii.gz"), dtype)
        save(mask, affine, os.path.join(d, f"{name}_mask.nii.gz"), np.uint8)
        cases[name] = dict(params=list(PARAMS))

    # Real scanner files (nibabel's test data) with synthetic masks.
    anat = nib.load(os.path.join(REAL, "anatomical.nii"))
    a = np.asanyarray(anat.dataobj)
    add("real_anatomical", a, blob_mask(a.shape, (16, 20, 12), (7, 9, 6), 1), anat.affine, np.int16)
    cases["real_anatomical"]["params"] = ["bincount16"] + list(WIDE_PARAMS)
    ex = nib.load(os.path.join(REAL, "example4d.nii.gz"))
    e = np.asanyarray(ex.dataobj)[..., 0]
    m = blob_mask(e.shape, (64, 48, 12), (14, 11, 5), 2)
    e, m, aff = crop(e, m, ex.affine, 8)
    add("real_example4d", e, m, aff, np.int16)
    # Synthetic tumours (her2mri synth), T1 on the mask's grid, cropped around the tumour.
    for n, study in enumerate(sorted(s for s in os.listdir(synth) if s.startswith("SYN"))):
        t1 = nib.load(os.path.join(synth, study, "t1.nii.gz"))
        mk = nib.load(os.path.join(synth, study, "tumor_mask.nii.gz"))
        if t1.shape != mk.shape or not np.allclose(t1.affine, mk.affine):
            continue
        img, msk, aff = crop(np.asanyarray(t1.dataobj), np.asanyarray(mk.dataobj), t1.affine, 10)
        add(f"synth_{study}", img, msk, aff, np.int16)
        if n == 0:   # the same tumour stored as float32 (the float32 binning and resampling paths)
            add(f"synth_{study}_float32", img.astype(np.float32) * np.float32(0.37), msk, aff, np.float32)
    # Constant image: every texture matrix has one grey level.
    const = np.full((20, 18, 12), 300, dtype=np.int16)
    add("constant_image", const, blob_mask(const.shape, (10, 9, 6), (6, 5, 4), 3), np.diag([1.0, 1.0, 2.0, 1.0]), np.int16)
    cases["constant_image"]["params"] = ["default"]
    # IBSI 1 digital phantom (CC-BY 4.0, Zwanenburg et al.), copied unchanged.
    if phantom:
        for kind, src in (("image", "phantom.nii.gz"), ("mask", "mask.nii.gz")):
            with open(os.path.join(phantom, src), "rb") as f, open(os.path.join(d, f"ibsi_phantom_{kind}.nii.gz"), "wb") as g:
                g.write(f.read())
        cases["ibsi_phantom"] = dict(params=list(PHANTOM_PARAMS) + ["default"])
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synth", required=True)
    ap.add_argument("--phantom")
    args = ap.parse_args()
    logging.getLogger("radiomics").setLevel(logging.ERROR)
    pdir = os.path.join(OUT, "params")
    os.makedirs(pdir, exist_ok=True)
    for name, text in {**PARAMS, **PHANTOM_PARAMS, **WIDE_PARAMS}.items():
        with open(os.path.join(pdir, f"{name}.yaml"), "w") as f:
            f.write(text)
    cases = make_cases(args.synth, args.phantom)
    reference = {"_provenance": {"tool": "pyradiomics-bhklab", "version": radiomics.__version__,
                                 "numpy": np.__version__, "script": "tools/radiomics/make_fixtures.py"}}
    for case, info in cases.items():
        image = os.path.join(OUT, "cases", f"{case}_image.nii.gz")
        mask = os.path.join(OUT, "cases", f"{case}_mask.nii.gz")
        reference[case] = {}
        for p in info["params"]:
            extractor = featureextractor.RadiomicsFeatureExtractor(os.path.join(pdir, f"{p}.yaml"))
            result = extractor.execute(image, mask)
            values = {}
            for k, v in result.items():
                if k.startswith("diagnostics_"):
                    continue
                x = float(v)
                values[k] = None if np.isnan(x) else x
            reference[case][p] = values
            print(case, p, len(values), "features", file=sys.stderr)
    with open(os.path.join(OUT, "pyradiomics_reference.json"), "w") as f:
        json.dump(reference, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
