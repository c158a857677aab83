#!/usr/bin/python3
"""Reads a synthetic study written by `her2mri synth` with the reference readers and compares.

Usage: /usr/bin/python3 tools/peer_check_synthetic.py NIFTI_STUDY_DIR DICOM_STUDY_DIR

Uses Debian's python3-nibabel and python3-pydicom (installed by `make test`'s set-up step).
For each sequence (t1, t2, dce) it loads the NIfTI file with nibabel and the DICOM folder with
pydicom (slices sorted along the slice normal, phases by Temporal Position Identifier), converts
the DICOM geometry from LPS to nibabel's RAS affine, and prints one JSON object:
{"versions": {...}, "<seq>": {"niftiShape", "niftiSum", "dicomShape", "dicomSum",
 "maxAbsDiff", "range", "affineMaxDiff", "dicomFiles"}}.
Nothing here is used at run time; it is the independent side of an end-to-end test.
"""
import json
import sys
from pathlib import Path

import nibabel
import numpy as np
import pydicom


def dicom_volume(folder):
    """Every file of the folder; phases keyed by (series, temporal position or acquisition time),
    ordered by Content Time; slices sorted along the slice normal."""
    files = sorted(Path(folder).glob("*.dcm"))
    ds = [pydicom.dcmread(str(f)) for f in files]
    iop = np.array(ds[0].ImageOrientationPatient, dtype=float)
    row, col = iop[:3], iop[3:]
    normal = np.cross(row, col)

    def phase_key(d):
        tpi = getattr(d, "TemporalPositionIdentifier", None)
        return (d.SeriesInstanceUID, int(tpi) if tpi is not None else str(getattr(d, "AcquisitionTime", "")))

    by_phase = {}
    for d in ds:
        by_phase.setdefault(phase_key(d), []).append(d)
    keys = sorted(by_phase, key=lambda k: (float(by_phase[k][0].ContentTime), str(k)))
    vols, first = [], None
    for k in keys:
        slices = sorted(by_phase[k], key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))))
        first = first or slices
        arr = np.stack([s.pixel_array.astype(np.float64) * float(getattr(s, "RescaleSlope", 1))
                        + float(getattr(s, "RescaleIntercept", 0)) for s in slices])  # (k, rows=j, cols=i)
        vols.append(np.transpose(arr, (2, 1, 0)))  # -> (i, j, k) as nibabel
    ps = [float(x) for x in first[0].PixelSpacing]  # [row spacing (j), column spacing (i)]
    ipp0 = np.array(first[0].ImagePositionPatient, dtype=float)
    gap = float(np.dot(normal, np.array(first[-1].ImagePositionPatient, dtype=float) - ipp0)) / max(len(first) - 1, 1)
    lps = np.eye(4)
    lps[:3, 0] = row * ps[1]
    lps[:3, 1] = col * ps[0]
    lps[:3, 2] = normal * gap
    lps[:3, 3] = ipp0
    ras = np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps
    vol = vols[0] if len(vols) == 1 else np.stack(vols, axis=-1)
    return vol, ras, len(files)


def main():
    nifti_dir, dicom_dir = Path(sys.argv[1]), Path(sys.argv[2])
    out = {"versions": {"nibabel": nibabel.__version__, "pydicom": pydicom.__version__, "numpy": np.__version__}}
    for seq, folder in [("t1", "T1"), ("t2", "T2"), ("dce", "DCE")]:
        img = nibabel.load(str(nifti_dir / f"{seq}.nii.gz"))
        data = np.asarray(img.get_fdata(), dtype=np.float64)
        vol, ras, nfiles = dicom_volume(dicom_dir / folder)
        same_shape = vol.shape == data.shape
        out[seq] = {
            "niftiShape": list(data.shape), "niftiSum": float(data.sum()),
            "dicomShape": list(vol.shape), "dicomSum": float(vol.sum()),
            "maxAbsDiff": float(np.abs(vol - data).max()) if same_shape else None,
            "range": float(data.max() - data.min()),
            "affineMaxDiff": float(np.abs(ras - img.affine).max()),
            "dicomFiles": nfiles,
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
