#!/usr/bin/python3
"""Classic (one file per slice) twins of the Enhanced MR fixtures, for `her2mri convert`'s
"classic vs enhanced export of the same acquisition" test.

Rerun (from the repository root; Debian's python3-pydicom 2.3 or pydicom 3 both work):
    /usr/bin/python3 tools/convert/classic_from_enhanced.py
Reads:  fixtures/dicom/enhanced_oblique.dcm, fixtures/dicom/enhanced_dce.dcm (written by
        tools/dicom_enhanced_reference.py from emri_small's real pixels)
Writes: fixtures/dicom/classic_oblique/IM*.dcm, fixtures/dicom/classic_dce/IM*.dcm

Each frame of the Enhanced file becomes an MR Image Storage file (explicit VR little endian)
carrying that frame's values as pydicom reads them from its Per-frame, else Shared, Functional
Groups (PS3.3 C.7.6.16): Image Position / Orientation (Patient), Pixel Spacing, Slice Thickness,
Rescale Slope / Intercept, Temporal Position Index -> Temporal Position Identifier, Frame
Acquisition DateTime -> Acquisition Date / Time; the stored pixels are copied unchanged. Files
are named in the Enhanced file's frame order and carry a new Series Instance UID, so the
converter sees the same acquisition exported the other way.
"""
import pathlib

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
FIX = ROOT / "fixtures" / "dicom"
MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4"
UID_ROOT = "1.2.826.0.1.3680043.10.999.78."


def group(ds, f, sequence, keyword):
    for source in (ds.PerFrameFunctionalGroupsSequence[f], ds.get("SharedFunctionalGroupsSequence", [Dataset()])[0]):
        if sequence in source and keyword in source[sequence][0]:
            return source[sequence][0][keyword].value
    return ds.get(keyword)


def classic(name: str, folder: str, series_uid: str) -> None:
    ds = pydicom.dcmread(FIX / name)
    out = FIX / folder
    out.mkdir(exist_ok=True)
    for old in out.glob("*.dcm"):
        old.unlink()
    n = int(ds.NumberOfFrames)
    pixels = ds.pixel_array.reshape(n, ds.Rows, ds.Columns)
    for f in range(n):
        c = Dataset()
        c.SpecificCharacterSet = ds.SpecificCharacterSet
        c.ImageType = ds.ImageType
        c.SOPClassUID = MR_IMAGE
        c.SOPInstanceUID = f"{series_uid}.{f + 1}"
        c.StudyDate = ds.StudyDate
        c.Modality = "MR"
        c.Manufacturer = ds.Manufacturer
        c.PatientName = ds.PatientName
        c.PatientID = ds.PatientID
        c.StudyInstanceUID = ds.StudyInstanceUID
        c.SeriesInstanceUID = series_uid
        c.FrameOfReferenceUID = ds.FrameOfReferenceUID
        c.SeriesNumber = ds.SeriesNumber
        c.InstanceNumber = f + 1
        c.ImagePositionPatient = group(ds, f, "PlanePositionSequence", "ImagePositionPatient")
        c.ImageOrientationPatient = group(ds, f, "PlaneOrientationSequence", "ImageOrientationPatient")
        c.PixelSpacing = group(ds, f, "PixelMeasuresSequence", "PixelSpacing")
        thickness = group(ds, f, "PixelMeasuresSequence", "SliceThickness")
        if thickness is not None:
            c.SliceThickness = thickness
        tpi = group(ds, f, "FrameContentSequence", "TemporalPositionIndex")
        if tpi is not None:
            c.TemporalPositionIdentifier = int(tpi)
        dt = group(ds, f, "FrameContentSequence", "FrameAcquisitionDateTime")
        if dt:
            c.AcquisitionDate = str(dt)[:8]
            c.AcquisitionTime = str(dt)[8:]
        slope = group(ds, f, "PixelValueTransformationSequence", "RescaleSlope")
        inter = group(ds, f, "PixelValueTransformationSequence", "RescaleIntercept")
        if slope is not None:
            c.RescaleSlope = slope
            c.RescaleIntercept = inter if inter is not None else 0
        c.SamplesPerPixel = 1
        c.PhotometricInterpretation = "MONOCHROME2"
        c.Rows, c.Columns = ds.Rows, ds.Columns
        c.BitsAllocated, c.BitsStored, c.HighBit = ds.BitsAllocated, ds.BitsStored, ds.HighBit
        c.PixelRepresentation = ds.PixelRepresentation
        c.PixelData = pixels[f].astype("<u2").tobytes()
        c["PixelData"].VR = "OW"
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = MR_IMAGE
        meta.MediaStorageSOPInstanceUID = c.SOPInstanceUID
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        meta.ImplementationClassUID = UID_ROOT + "9"
        c.file_meta = meta
        c.is_little_endian, c.is_implicit_VR = True, False
        c.preamble = b"\0" * 128
        pydicom.dcmwrite(out / f"IM{f + 1:05d}.dcm", c, write_like_original=False)
    print(f"{folder}: {n} files from {name}")


if __name__ == "__main__":
    classic("enhanced_oblique.dcm", "classic_oblique", UID_ROOT + "1")
    classic("enhanced_dce.dcm", "classic_dce", UID_ROOT + "2")
