#!/usr/bin/env python3
"""Reads NIfTI files with nibabel and prints what it sees, as JSON (one list).

Used by NIfTIWriterNibabelTests to check that files written by NIfTIWriter read the same in
nibabel: shape, dtype, img.affine, the qform and sform with their codes, the file header's
slope / intercept and every scaled voxel (flattened with i fastest).

    python3 -m venv tools/.venv-nibabel
    tools/.venv-nibabel/bin/pip install nibabel==5.4.2 numpy
    tools/.venv-nibabel/bin/python tools/nifti_check_written.py FILE...
"""
import json
import sys

import nibabel as nib
import numpy as np


def main(paths):
    out = []
    for path in paths:
        img = nib.load(path)
        with nib.openers.ImageOpener(path) as f:
            raw = type(img.header).from_fileobj(f)
        slope, inter = raw.get_slope_inter()
        qform, qcode = img.header.get_qform(coded=True)
        sform, scode = img.header.get_sform(coded=True)
        data = np.asarray(img.get_fdata(), dtype=np.float64)
        out.append({
            "file": path,
            "shape": [int(s) for s in img.shape],
            "datatype": str(img.get_data_dtype()),
            "zooms": [float(z) for z in img.header.get_zooms()],
            "xyztUnits": [str(u) for u in img.header.get_xyzt_units()],
            "sclSlope": slope,
            "sclInter": inter,
            "affine": img.affine.tolist(),
            "qform": None if qform is None else qform.tolist(),
            "qformCode": qcode,
            "sform": None if sform is None else sform.tolist(),
            "sformCode": scode,
            "description": img.header["descrip"].item().decode("latin1"),
            "values": data.flatten(order="F").tolist(),
        })
    json.dump(out, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main(sys.argv[1:])
