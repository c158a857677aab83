#!/usr/bin/env python3
"""Enhanced MR (multi-frame) fixtures and their pydicom reference values.

Setup (once):  python3 -m venv tools/.venv-dicom && tools/.venv-dicom/bin/pip install pydicom==3.0.2 numpy
Rerun:         tools/.venv-dicom/bin/python tools/dicom_enhanced_reference.py
               (from the repository root; ../shared/realdata must be beside the repository)
Writes:        fixtures/dicom/enhanced_*.dcm and fixtures/dicom/enhanced_reference.json

Why fixtures at all: the real Enhanced MR files of ../shared/realdata/dicom (emri_small*.dcm,
from pydicom's test set) carry no functional groups and no geometry whatsoever (pydicom finds
no Shared / Per-frame Functional Groups, no Image Position, Orientation or Pixel Spacing), so
their "right geometry" is "none". To test the functional-group reading, this script writes
small Enhanced MR Image Storage files with pydicom: 16 x 16 crops of emri_small's real frames,
with Shared and Per-frame Functional Groups (plane position / orientation, pixel measures,
frame content, pixel value transformation), in explicit VR little endian, implicit VR little
endian and explicit VR big endian, a 4-D DCE layout (3 temporal positions x 4 slices) and a few
broken variants.

Reference values come from pydicom reading the files back: per frame, each attribute from the
frame's Per-frame Functional Groups item, else the Shared item (PS3.3 C.7.6.16); the stored
pixel sum of every frame from pydicom's pixel_array. The expected volume (size, phases, LPS
origin, spacing, direction, the frame at each (k, t) and the sum of the rescaled samples) is
computed here with numpy by the plain rule: normal = row x column cosines, slices sorted by
position . normal, phases by Temporal Position Index, spacing = mean gap.
"""
import json
import pathlib
import sys
import zlib

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

ROOT = pathlib.Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "realdata" / "dicom"
OUT = ROOT / "fixtures" / "dicom"
ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"
UID_ROOT = "1.2.826.0.1.3680043.10.999.77."


def item(**kwargs) -> Dataset:
    d = Dataset()
    for k, v in kwargs.items():
        setattr(d, k, v)
    return d


def seq(*items) -> Sequence:
    return Sequence(list(items))


def fmt(v: float) -> str:
    """A DS value of at most 16 characters."""
    s = f"{v:.10g}"
    return s if len(s) <= 16 else f"{v:.8g}"


def oblique_cosines():
    a, b = 0.3, -0.2
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    m = rz @ rx
    return m[:, 0], m[:, 1]


def base_dataset(source: Dataset, name: str, frames: int) -> Dataset:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "T1", "NONE"]
    ds.SOPClassUID = ENHANCED_MR
    ds.SOPInstanceUID = UID_ROOT + "4." + str(zlib.crc32(name.encode()))
    ds.StudyDate = "20260101"
    ds.ContentDate = "20260101"
    ds.ContentTime = "101500"
    ds.AcquisitionDateTime = "20260101101500"
    ds.Modality = "MR"
    ds.Manufacturer = "her2mri fixture"
    ds.PatientName = "Fixture^Enhanced"
    ds.PatientID = "ENH0001"
    ds.StudyInstanceUID = UID_ROOT + "1"
    ds.SeriesInstanceUID = UID_ROOT + "2." + str(sum(map(ord, name)))
    ds.FrameOfReferenceUID = UID_ROOT + "3"
    ds.SeriesNumber = 7
    ds.InstanceNumber = 1
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.NumberOfFrames = frames
    ds.Rows = 16
    ds.Columns = 16
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    return ds


def save(ds: Dataset, pixels: np.ndarray, name: str, syntax) -> pathlib.Path:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = syntax
    meta.ImplementationClassUID = UID_ROOT + "9"
    ds.file_meta = meta
    big = syntax == ExplicitVRBigEndian
    ds.PixelData = pixels.astype(">u2" if big else "<u2").tobytes()
    ds["PixelData"].VR = "OW"
    path = OUT / name
    ds.save_as(path, enforce_file_format=True, implicit_vr=(syntax == ImplicitVRLittleEndian),
               little_endian=not big)
    return path


def crops(source: Dataset, count: int) -> np.ndarray:
    arr = source.pixel_array  # (10, 64, 64)
    return np.stack([arr[i % arr.shape[0], 24:40, 24 + (i // arr.shape[0]) * 3:40 + (i // arr.shape[0]) * 3]
                     for i in range(count)]).astype(np.uint16)


def oblique(source: Dataset, name: str, syntax, drop: int | None = None, turn: int | None = None,
            declared: int | None = None) -> pathlib.Path:
    """10 slices of an oblique stack, stored in a shuffled order; optionally one slice dropped,
    one frame turned to another orientation, or Number of Frames misdeclared."""
    row, col = oblique_cosines()
    normal = np.cross(row, col)
    origin = np.array([-100.25, 30.5, 12.125])
    order = [3, 0, 7, 1, 9, 4, 2, 8, 6, 5]
    if drop is not None:
        order.remove(drop)
    pix = crops(source, 10)
    ds = base_dataset(source, name, len(order))
    if declared is not None:
        ds.NumberOfFrames = declared
    ds.SpacingBetweenSlices = "1.2"
    ds.SharedFunctionalGroupsSequence = seq(item(
        PixelMeasuresSequence=seq(item(PixelSpacing=["0.9", "0.8"], SliceThickness="1.5", SpacingBetweenSlices="1.2")),
        PixelValueTransformationSequence=seq(item(RescaleSlope="2.5", RescaleIntercept="-100", RescaleType="US")),
        **({} if turn is not None else
           {"PlaneOrientationSequence": seq(item(ImageOrientationPatient=[fmt(v) for v in (*row, *col)]))}),
    ))
    per = []
    for f, k in enumerate(order):
        p = origin + 1.2 * k * normal
        groups = dict(
            PlanePositionSequence=seq(item(ImagePositionPatient=[fmt(v) for v in p])),
            FrameContentSequence=seq(item(FrameAcquisitionNumber=1, StackID="1", InStackPositionNumber=k + 1,
                                          DimensionIndexValues=[1, k + 1],
                                          FrameAcquisitionDateTime="20260101101500.000000")),
        )
        if turn is not None:
            iop = (*row, *col) if f != turn else (*col, *normal)
            groups["PlaneOrientationSequence"] = seq(item(ImageOrientationPatient=[fmt(v) for v in iop]))
        per.append(item(**groups))
    ds.PerFrameFunctionalGroupsSequence = Sequence(per)
    return save(ds, pix[order], name, syntax)


def dce(source: Dataset, name: str, only_phase: int | None = None) -> pathlib.Path:
    """3 temporal positions x 4 axial slices; frames stored phase by phase, slices head to feet;
    the rescale differs per phase (per-frame Pixel Value Transformation). With `only_phase`, the
    file holds that phase alone (one Enhanced file per phase, same series)."""
    phases, slices = 3, 4
    pix = crops(source, phases * slices)
    ds = base_dataset(source, name, phases * slices if only_phase is None else slices)
    if only_phase is not None:
        ds.SeriesInstanceUID = UID_ROOT + "2.999"
        ds.InstanceNumber = only_phase + 1
    ds.SharedFunctionalGroupsSequence = seq(item(
        PlaneOrientationSequence=seq(item(ImageOrientationPatient=["1", "0", "0", "0", "1", "0"])),
    ))
    per, stored = [], []
    for t in range(phases) if only_phase is None else [only_phase]:
        for k in reversed(range(slices)):
            per.append(item(
                PlanePositionSequence=seq(item(ImagePositionPatient=["-60", "-45.5", fmt(20 + 3.0 * k)])),
                PixelMeasuresSequence=seq(item(PixelSpacing=["0.75", "0.75"], SliceThickness="3")),
                FrameContentSequence=seq(item(TemporalPositionIndex=t + 1, DimensionIndexValues=[t + 1, k + 1],
                                              FrameAcquisitionDateTime=f"202601011015{t:02d}.500000")),
                PixelValueTransformationSequence=seq(item(RescaleSlope=fmt(1 + 0.5 * t), RescaleIntercept=fmt(-10.0 * t),
                                                          RescaleType="US")),
            ))
            stored.append(t * slices + k)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per)
    return save(ds, pix[stored], name, ExplicitVRLittleEndian)


def absurd(source: Dataset, name: str) -> pathlib.Path:
    """Number of Frames 2^31 - 1 over 10 frames of data, without per-frame groups to count them."""
    row, col = oblique_cosines()
    ds = base_dataset(source, name, 10)
    ds.SharedFunctionalGroupsSequence = seq(item(
        PixelMeasuresSequence=seq(item(PixelSpacing=["0.9", "0.8"], SliceThickness="1.5")),
        PlaneOrientationSequence=seq(item(ImageOrientationPatient=[fmt(v) for v in (*row, *col)])),
        PlanePositionSequence=seq(item(ImagePositionPatient=["0", "0", "0"])),
    ))
    path = save(ds, crops(source, 10), name, ExplicitVRLittleEndian)
    raw = path.read_bytes()
    # pydicom will not write an IS beyond 2^31 - 1 in strict mode; patch the text in place.
    old = b"NumberOfFrames"  # not in the file; the IS value "10" is patched via its tag below
    tag = bytes([0x28, 0x00, 0x08, 0x00]) + b"IS" + (2).to_bytes(2, "little") + b"10"
    assert tag in raw and old not in raw
    raw = raw.replace(tag, bytes([0x28, 0x00, 0x08, 0x00]) + b"IS" + (10).to_bytes(2, "little") + b"2147483647")
    # The meta group length does not cover the data set, so no other length changes.
    path.write_bytes(raw)
    return path


def first_item(ds: Dataset, frame: int, keyword: str):
    """The functional group item of `keyword` for `frame`: per-frame, else shared (PS3.3 C.7.6.16)."""
    per = ds.get("PerFrameFunctionalGroupsSequence")
    if per is not None and frame < len(per) and keyword in per[frame]:
        return per[frame][keyword][0]
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared and keyword in shared[0]:
        return shared[0][keyword][0]
    return None


def floats(v):
    if v is None or v == "":
        return None
    if isinstance(v, (list, pydicom.multival.MultiValue)):
        return [float(x) for x in v]
    return float(v)


def frame_reference(ds: Dataset, f: int) -> dict:
    """Each attribute from the frame's functional groups (per-frame, else shared), else from the
    top level of the data set (legacy-converted files, and emri_small's top-level Spacing Between
    Slices)."""
    def get(keyword_seq: str, keyword: str):
        g = first_item(ds, f, keyword_seq)
        if g is not None and keyword in g and g[keyword].value not in (None, ""):
            return g[keyword].value
        if keyword in ds and ds[keyword].value not in (None, ""):
            return ds[keyword].value
        return None

    def as_int(v):
        return None if v is None else int(v)

    dim = get("FrameContentSequence", "DimensionIndexValues")
    dt = get("FrameContentSequence", "FrameAcquisitionDateTime")
    return {
        "image_position_patient": floats(get("PlanePositionSequence", "ImagePositionPatient")),
        "image_orientation_patient": floats(get("PlaneOrientationSequence", "ImageOrientationPatient")),
        "pixel_spacing": floats(get("PixelMeasuresSequence", "PixelSpacing")),
        "slice_thickness": floats(get("PixelMeasuresSequence", "SliceThickness")),
        "spacing_between_slices": floats(get("PixelMeasuresSequence", "SpacingBetweenSlices")),
        "temporal_position_index": as_int(get("FrameContentSequence", "TemporalPositionIndex")),
        "dimension_index_values": None if dim is None else [int(x) for x in np.atleast_1d(dim)],
        "frame_acquisition_datetime": None if dt is None else str(dt),
        "rescale_slope": floats(get("PixelValueTransformationSequence", "RescaleSlope")),
        "rescale_intercept": floats(get("PixelValueTransformationSequence", "RescaleIntercept")),
    }


def expected_volume(ds: Dataset, frames: list[dict], pixels: np.ndarray) -> dict:
    if any(f["image_position_patient"] is None or f["image_orientation_patient"] is None
           or f["pixel_spacing"] is None for f in frames):
        return {"error": "no geometry"}
    iops = np.array([f["image_orientation_patient"] for f in frames])
    if np.abs(iops - iops[0]).max() > 1e-3:
        return {"error": "different orientations"}
    row, col = iops[0][:3], iops[0][3:]
    normal = np.cross(row, col)
    d = np.array([np.dot(f["image_position_patient"], normal) for f in frames])
    positions = sorted(set(np.round(d, 3)))
    gaps = np.diff(positions)
    if len(gaps) and np.abs(gaps - gaps.mean()).max() > 0.01 * gaps.mean():
        return {"error": "uneven slice spacing"}
    grid = {}
    for i, f in enumerate(frames):
        k = positions.index(np.round(d[i], 3))
        grid.setdefault(k, []).append(i)
    per = {len(v) for v in grid.values()}
    if len(per) != 1:
        return {"error": "uneven frames per position"}
    phases = per.pop()
    order = []  # frame index for t, then k
    for t in range(phases):
        for k in range(len(positions)):
            cands = sorted(grid[k], key=lambda i: (frames[i]["temporal_position_index"] or 0))
            order.append(cands[t])
    first = order[0]
    spacing_z = float(gaps.mean()) if len(gaps) else 1.0
    slopes = [frames[i]["rescale_slope"] if frames[i]["rescale_slope"] is not None else 1.0 for i in range(len(frames))]
    inters = [frames[i]["rescale_intercept"] if frames[i]["rescale_intercept"] is not None else 0.0 for i in range(len(frames))]
    total = sum(float(pixels[i].astype(np.float64).sum()) * slopes[i] + inters[i] * pixels[i].size for i in range(len(frames)))
    ps = frames[first]["pixel_spacing"]
    return {
        "size": [int(ds.Columns), int(ds.Rows), len(positions)],
        "phases": phases,
        "origin": frames[first]["image_position_patient"],
        "spacing": [ps[1], ps[0], spacing_z],
        "direction_columns": [list(map(float, row)), list(map(float, col)), list(map(float, normal))],
        "frame_order": order,
        "rescaled_sum": total,
    }


def reference(path: pathlib.Path, source: str) -> dict:
    ds = pydicom.dcmread(path)
    n = int(ds.get("NumberOfFrames", 1))
    ref = {
        "file": path.name, "source": source,
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
        "number_of_frames": n,
        "has_functional_groups": "SharedFunctionalGroupsSequence" in ds or "PerFrameFunctionalGroupsSequence" in ds,
    }
    per = ds.get("PerFrameFunctionalGroupsSequence")
    if per is not None and len(per) != n:
        ref["error"] = f"Number of Frames {n} but {len(per)} per-frame items"
        return ref
    if n > 100000:
        ref["error"] = f"Number of Frames {n} does not fit the pixel data ({len(ds.PixelData)} bytes)"
        return ref
    frames = [frame_reference(ds, f) for f in range(n)]
    try:
        pixels = ds.pixel_array.reshape(n, ds.Rows, ds.Columns)
        for f, fr in enumerate(frames):
            fr["stored_sum"] = int(pixels[f].astype(np.int64).sum())
    except Exception as e:  # a codec pydicom lacks here (JPEG 2000 without pylibjpeg)
        pixels = None
        ref["pixel_error"] = str(e).splitlines()[0]
    ref["frames"] = frames
    ref["volume"] = expected_volume(ds, frames, pixels) if pixels is not None else {"error": "pixels not decoded by the reference"}
    return ref


def main() -> int:
    if not REAL.is_dir():
        print(f"{REAL} is missing", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    source = pydicom.dcmread(REAL / "emri_small.dcm")
    made = [
        oblique(source, "enhanced_oblique.dcm", ExplicitVRLittleEndian),
        oblique(source, "enhanced_oblique_implicit.dcm", ImplicitVRLittleEndian),
        oblique(source, "enhanced_oblique_big_endian.dcm", ExplicitVRBigEndian),
        dce(source, "enhanced_dce.dcm"),
        *[dce(source, f"enhanced_dce_phase{t + 1}.dcm", only_phase=t) for t in range(3)],
        oblique(source, "enhanced_bad_missing_slice.dcm", ExplicitVRLittleEndian, drop=4),
        oblique(source, "enhanced_bad_two_orientations.dcm", ExplicitVRLittleEndian, turn=6),
        oblique(source, "enhanced_bad_frame_count.dcm", ExplicitVRLittleEndian, declared=12),
        absurd(source, "enhanced_bad_absurd_frames.dcm"),
    ]
    refs = [reference(REAL / name, "realdata") for name in
            ["emri_small.dcm", "emri_small_big_endian.dcm", "emri_small_RLE.dcm", "emri_small_jpeg_2k_lossless.dcm"]]
    refs += [reference(p, "fixture") for p in made]
    doc = {
        "provenance": f"tools/dicom_enhanced_reference.py with pydicom {pydicom.__version__}, numpy {np.__version__}",
        "files": refs,
    }
    (OUT / "enhanced_reference.json").write_text(json.dumps(doc, indent=1) + "\n")
    for r in refs:
        print(r["file"], r.get("error") or r.get("volume", {}).get("error") or r.get("volume", {}).get("size"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
