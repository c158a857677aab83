#!/usr/bin/env python3
"""Reference values from nibabel for the NIfTI reader tests.

Writes Tests/ImageIOTests/NIfTINibabelCases.swift: small NIfTI files written by nibabel
(embedded as base64) covering what ../shared/realdata does not (every datatype, nibabel's own
scaling of float data into integer types, qform-only and pixdim-only geometry, qfac = -1,
big-endian NIfTI-1 and NIfTI-2, a 2-D image, a .hdr/.img pair), each with what nibabel reads
back: shape, dtype, zooms, the file header's get_slope_inter(), codes, img.affine and every
scaled voxel (img.get_fdata(), flattened with i fastest). Also, for the files in
../shared/realdata/nifti, the scaling of the file's own header (Nifti1Header.from_fileobj(...)
.get_slope_inter()), which reference/nifti.json does not hold: nib.load resets the loaded
image header's scl_slope / scl_inter to NaN after moving the scaling into img.dataobj.

Rerun (from the repository root):
    python3 -m venv tools/.venv-nibabel
    tools/.venv-nibabel/bin/pip install nibabel==5.4.2 numpy
    tools/.venv-nibabel/bin/python tools/nifti_reference_cases.py
"""
import base64
import gzip
import io
import json
import os
import struct
import sys
import tempfile

import nibabel as nib
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "ImageIOTests", "NIfTINibabelCases.swift")
REALDATA = os.path.join(os.path.dirname(REPO), "shared", "realdata", "nifti")

rng = np.random.RandomState(20261126)


def rotation(ax, ay, az):
    """Rotation about x, then y, then z (radians)."""
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def affine(rot, zooms, offset, flip=False):
    a = np.eye(4)
    m = rot @ np.diag(zooms)
    if flip:
        m[:, 2] *= -1
    a[:3, :3] = m
    a[:3, 3] = offset
    return a


def raw_header(blob, klass):
    return klass.from_fileobj(io.BytesIO(blob))


def describe(path, header_path=None):
    img = nib.load(path)
    hdr_file = header_path or path
    with nib.openers.ImageOpener(hdr_file) as f:
        raw = type(img.header).from_fileobj(f)
    slope, inter = raw.get_slope_inter()
    data = np.asarray(img.get_fdata(), dtype=np.float64)
    return {
        "format": "nifti2" if isinstance(img, (nib.Nifti2Image, nib.Nifti2Pair)) else "nifti1",
        "shape": [int(s) for s in img.shape],
        "datatype": str(img.get_data_dtype()),
        "zooms": [float(z) for z in img.header.get_zooms()],
        "sclSlope": slope,
        "sclInter": inter,
        "qformCode": int(img.header["qform_code"]),
        "sformCode": int(img.header["sform_code"]),
        "affine": img.affine.tolist(),
        "values": data.flatten(order="F").tolist(),
        "sum": float(data.sum()),
        "min": float(data.min()),
        "max": float(data.max()),
        "mean": float(data.mean()),
    }


def case(name, klass, data, aff, *, dtype=None, endian=None, qform=1, sform=1, suffix=".nii", pair=False,
         patch=None):
    """Writes one file with nibabel into a temporary folder and describes it as nibabel reads it."""
    hdr = klass.header_class(endianness=endian) if endian else None
    img = klass(data, aff, hdr)
    if dtype is not None:
        img.set_data_dtype(dtype)
    img.set_qform(aff if qform else None, code=qform)
    img.set_sform(aff if sform else None, code=sform)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name + suffix)
        nib.save(img, path)
        if patch:  # byte edits nibabel would not write itself: (offset, struct format, value)
            blob = bytearray(open(path, "rb").read())
            for offset, fmt, value in patch:
                struct.pack_into(fmt, blob, offset, value)
            open(path, "wb").write(bytes(blob))
        entry = {"name": name + suffix}
        if pair:
            base = path[: -len(suffix)]
            entry["files"] = {
                name + ".hdr": base64.b64encode(open(base + ".hdr", "rb").read()).decode(),
                name + ".img": base64.b64encode(open(base + ".img", "rb").read()).decode(),
            }
            entry["expected"] = describe(base + ".hdr")
        else:
            entry["files"] = {name + suffix: base64.b64encode(open(path, "rb").read()).decode()}
            entry["expected"] = describe(path)
    return entry


def main():
    cases = []
    oblique = rotation(0.3, -0.2, 0.5)
    f3 = rng.normal(100, 40, size=(5, 4, 3))
    # nibabel picks slope and intercept itself when float data go into an integer type.
    cases.append(case("uint8_scaled_sform_only", nib.Nifti1Image, f3,
                      affine(oblique, (1.5, 2.0, 2.5), (10, -20, 30)), dtype=np.uint8, qform=0, sform=2))
    cases.append(case("int8_scaled_qform_only_qfac_minus1_big_endian", nib.Nifti1Image, f3 - 100,
                      affine(oblique, (1.0, 1.2, 3.0), (-5, 7, 9), flip=True), dtype=np.int8, endian=">",
                      qform=1, sform=0))
    cases.append(case("uint16_pixdim_only", nib.Nifti1Image, np.abs(f3) * 100,
                      affine(np.eye(3), (1.5, 2.0, 3.0), (0, 0, 0)), dtype=np.uint16, qform=0, sform=0))
    f4 = rng.normal(1000, 300, size=(4, 3, 2, 3))
    cases.append(case("int32_scaled_4d", nib.Nifti1Image, f4 * 1000,
                      affine(oblique, (0.8, 0.8, 4.0), (1, 2, 3)), dtype=np.int32))
    cases.append(case("uint32_4d_gz", nib.Nifti1Image, np.round(np.abs(f4)).astype(np.uint32),
                      affine(np.eye(3), (2.0, 2.0, 2.0), (-3, -4, -5)), suffix=".nii.gz"))
    cases.append(case("float32_unscaled", nib.Nifti1Image, f3.astype(np.float32),
                      affine(oblique, (0.7, 0.7, 1.1), (4, 5, 6)), dtype=np.float32))
    cases.append(case("int16_qform_scanner_sform_aligned", nib.Nifti1Image, np.round(f3).astype(np.int16),
                      affine(rotation(0.0, 0.0, np.pi), (1.0, 1.0, 1.0), (3, 3, 3)), qform=1, sform=2))
    cases.append(case("float64_nifti2_big_endian_qform_only", nib.Nifti2Image, f3,
                      affine(rotation(np.pi, 0.1, 0.0), (1.1, 1.2, 1.3), (7, 8, 9), flip=True),
                      dtype=np.float64, endian=">", qform=2, sform=0))
    cases.append(case("int16_scaled_nifti2_gz", nib.Nifti2Image, f4,
                      affine(oblique, (1.0, 2.0, 3.0), (0, 0, 0)), dtype=np.int16, suffix=".nii.gz"))
    cases.append(case("uint8_2d", nib.Nifti1Image, np.round(np.abs(f3[:, :, 0])).astype(np.uint8),
                      affine(np.eye(3), (0.5, 0.25, 1.0), (0, 0, 0)), qform=0, sform=0))
    # scl_slope NaN or 0 means "unscaled" to nibabel, whatever scl_inter says.
    cases.append(case("float32_slope_nan", nib.Nifti1Image, f3.astype(np.float32),
                      affine(np.eye(3), (1.0, 1.0, 1.0), (0, 0, 0)), patch=[(112, "<f", float("nan")), (116, "<f", 5.0)]))
    cases.append(case("int16_slope_zero", nib.Nifti1Image, np.round(f3).astype(np.int16),
                      affine(np.eye(3), (1.0, 1.0, 1.0), (0, 0, 0)), patch=[(112, "<f", 0.0), (116, "<f", 5.0)]))
    # qfac 0 (older writers) is read as 1; an unknown sform code as 0 (falls back to the qform).
    cases.append(case("int16_qfac_zero_sform_code_9", nib.Nifti1Image, np.round(f3).astype(np.int16),
                      affine(oblique, (1.0, 2.0, 3.0), (1, 2, 3)), patch=[(76, "<f", 0.0), (254, "<h", 9)]))
    cases.append(case("int16_pair", nib.Nifti1Pair, np.round(f3).astype(np.int16),
                      affine(oblique, (1.0, 1.0, 2.0), (1, 1, 1)), suffix=".hdr", pair=True))

    realdata = {}
    if os.path.isdir(REALDATA):
        for name in sorted(os.listdir(REALDATA)):
            path = os.path.join(REALDATA, name)
            img = nib.load(path)
            with nib.openers.ImageOpener(path) as f:
                raw = type(img.header).from_fileobj(f)
            slope, inter = raw.get_slope_inter()
            realdata[name] = {"sclSlope": slope, "sclInter": inter}

    payload = json.dumps({"nibabel": nib.__version__, "numpy": np.__version__,
                          "cases": cases, "realdataHeaderScaling": realdata},
                         indent=None, separators=(",", ":"), allow_nan=False)
    lines = [payload[i:i + 120] for i in range(0, len(payload), 120)]
    with open(OUT, "w") as out:
        out.write("// GENERATED by tools/nifti_reference_cases.py with nibabel %s, numpy %s: do not edit.\n"
                  % (nib.__version__, np.__version__))
        out.write("// Small NIfTI files written by nibabel (base64) and what nibabel reads back from them.\n")
        out.write("enum NIfTINibabelCases {\n")
        out.write("    /// The JSON written by the script (one string, split into lines of 120 characters).\n")
        out.write("    static let json: String = [\n")
        for line in lines:
            out.write("        " + json.dumps(line) + ",\n")
        out.write("    ].joined()\n}\n")
    print("wrote", OUT, len(cases), "cases,", len(payload), "characters")


if __name__ == "__main__":
    sys.exit(main())
