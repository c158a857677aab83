#!/usr/bin/env python3
"""Independent check of her2mri's DICOM series writer with pydicom 3.0.2.

Setup (once):   python3 -m venv tools/.venv-dicom && tools/.venv-dicom/bin/pip install pydicom==3.0.2 numpy
Export series:  HER2MRI_DICOM_EXPORT=/tmp/dicom-export swift test -c release --filter DICOMPydicomExport
Check:          tools/.venv-dicom/bin/python tools/check_dicom_with_pydicom.py /tmp/dicom-export

For every <name>/ folder beside <name>.expected.json and <name>.samples.f32, this reads each
file with pydicom in strict mode (invalid values raise), checks the file meta group and the
MR Image Storage basics, builds the volume from pixel_array * RescaleSlope + RescaleIntercept
with slices sorted along the normal (phases by TemporalPositionIdentifier), and compares
samples (max error relative to max |sample| must be <= 1e-4) and geometry (1e-6) with what the
Swift writer was given. Exit status 0 when every series passes.
"""
import json
import pathlib
import sys

import numpy as np
import pydicom
from pydicom import config

config.settings.reading_validation_mode = config.RAISE
config.settings.writing_validation_mode = config.RAISE


def check_series(root: pathlib.Path, name: str) -> list[str]:
    problems = []
    expected = json.loads((root / f"{name}.expected.json").read_text())
    nx, ny, nz = expected["size"]
    phases = expected["phases"]
    truth = np.fromfile(root / f"{name}.samples.f32", dtype="<f4").reshape(phases, nz, ny, nx)
    files = sorted((root / name).glob("*.dcm"))
    if len(files) != nz * phases:
        problems.append(f"{len(files)} files for {nz} slices x {phases} phases")
    slices = []
    for f in files:
        ds = pydicom.dcmread(f)  # strict: raises on invalid VR values
        meta = ds.file_meta
        if meta.TransferSyntaxUID != pydicom.uid.ExplicitVRLittleEndian:
            problems.append(f"{f.name}: transfer syntax {meta.TransferSyntaxUID}")
        if meta.MediaStorageSOPClassUID != ds.SOPClassUID or ds.SOPClassUID != "1.2.840.10008.5.1.4.1.1.4":
            problems.append(f"{f.name}: SOP class {ds.SOPClassUID}")
        if meta.MediaStorageSOPInstanceUID != ds.SOPInstanceUID:
            problems.append(f"{f.name}: meta and data set SOP Instance UIDs differ")
        for keyword in ["PatientID", "PatientName", "StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID",
                        "Modality", "ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing",
                        "SliceThickness", "RescaleSlope", "RescaleIntercept", "Rows", "Columns"]:
            if keyword not in ds:
                problems.append(f"{f.name}: {keyword} missing")
        pixels = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        if pixels.shape != (ny, nx):
            problems.append(f"{f.name}: pixel array shape {pixels.shape}, expected {(ny, nx)}")
        iop = np.array(ds.ImageOrientationPatient, dtype=float)
        normal = np.cross(iop[:3], iop[3:])
        ipp = np.array(ds.ImagePositionPatient, dtype=float)
        slices.append((int(ds.get("TemporalPositionIdentifier", 1)), float(ipp @ normal), ipp, iop, ds, pixels))
    slices.sort(key=lambda s: (s[0], s[1]))
    volume = np.stack([s[5] for s in slices]).reshape(phases, nz, ny, nx)
    scale = float(np.abs(truth).max())
    err = float(np.abs(volume - truth).max())
    if err > 1e-4 * scale:
        problems.append(f"samples differ: max error {err:.3g} of max |sample| {scale:.3g}")
    first = slices[0]
    ds = first[4]
    spacing = [float(ds.PixelSpacing[1]), float(ds.PixelSpacing[0]),
               (slices[1][1] - slices[0][1]) if nz > 1 else float(ds.SliceThickness)]
    direction = np.column_stack([first[3][:3], first[3][3:], np.cross(first[3][:3], first[3][3:])])
    for label, ours, theirs in [("spacing", spacing, expected["spacing"]), ("origin", first[2], expected["origin"]),
                                ("direction", direction, expected["direction"])]:
        if not np.allclose(np.array(ours, dtype=float), np.array(theirs, dtype=float), rtol=1e-6, atol=1e-6):
            problems.append(f"{label}: pydicom {np.array(ours).tolist()} expected {theirs}")
    print(f"{name}: {len(files)} files, max sample error {err:.3g} (of {scale:.4g}), "
          f"patient {ds.PatientName!s}, charset {ds.get('SpecificCharacterSet', '-')}, slope {ds.RescaleSlope}, "
          f"intercept {ds.RescaleIntercept}")
    return problems


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/dicom-export")
    names = sorted(p.name[: -len(".expected.json")] for p in root.glob("*.expected.json"))
    if not names:
        print(f"no exported series in {root}")
        return 1
    failed = False
    print(f"pydicom {pydicom.__version__}, numpy {np.__version__}")
    for name in names:
        problems = check_series(root, name)
        for p in problems:
            print(f"  FAIL {name}: {p}")
        failed = failed or bool(problems)
        print(f"  {'FAIL' if problems else 'PASS'} {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
