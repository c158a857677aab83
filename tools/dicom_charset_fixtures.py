#!/usr/bin/env python3
"""Tiny DICOM files with patient names in several character sets, and pydicom's decoding.

Setup (once):  python3 -m venv tools/.venv-dicom && tools/.venv-dicom/bin/pip install pydicom==3.0.2 numpy
Rerun:         tools/.venv-dicom/bin/python tools/dicom_charset_fixtures.py   (from the repository root)
Writes:        fixtures/dicom/charset_*.dcm (header only, no pixel data) and
               fixtures/dicom/charset_reference.json

Each file is written by pydicom 3.0.2 (explicit VR little endian, with preamble and meta), its
text encoded by pydicom from the Specific Character Set given, except the ISO 2022 cases whose
raw bytes (escape sequences) are spelled out below so that the test sees code extensions
exactly as PS3.5 Annex H/I/J examples do. The reference values are what pydicom decodes when it
reads the files back: str(ds.PatientName) and its alphabetic group and components, and the
other identifiers as strings.
"""
import json
import pathlib
import sys

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "dicom"
UID_ROOT = "1.2.826.0.1.3680043.10.999.78."

# (file name, Specific Character Set, patient name (str or raw bytes), institution (str or bytes))
CASES = [
    ("charset_default.dcm", None, "Smith^John^Quincy^Dr.^Jr.", "General Hospital"),
    ("charset_latin1.dcm", "ISO_IR 100", "Müller^Zoë", "Klinikum Mönchengladbach"),
    ("charset_latin1_nordic.dcm", "ISO_IR 100", "Ødegård^Åsa", "Sykehuset Østfold"),
    ("charset_utf8.dcm", "ISO_IR 192", "Núñez^Inés", "Clínica Universidad de Navarra"),
    ("charset_utf8_groups.dcm", "ISO_IR 192", "Yamada^Tarou=山田^太郎=やまだ^たろう", "東京病院"),
    ("charset_greek.dcm", "ISO_IR 126", "Διονυσίου^Ελένη", "Νοσοκομείο Αθηνών"),
    ("charset_cyrillic.dcm", "ISO_IR 144", "Иванова^Мария", "Больница №1"),
    ("charset_latin2.dcm", "ISO_IR 101", "Dvořák^Šárka", "Nemocnice Brno"),
    ("charset_latin4.dcm", "ISO_IR 110", "Bērziņa^Līga", "Rīgas slimnīca"),
    ("charset_latin5.dcm", "ISO_IR 148", "Öztürk^Ayşe", "İstanbul Hastanesi"),
    ("charset_arabic.dcm", "ISO_IR 127", "قباني^لنزار", "مستشفى"),
    ("charset_hebrew.dcm", "ISO_IR 138", "שרון^דבורה", "בית חולים"),
    # ISO 2022 with escape sequences: ESC - A designates Latin-1 to G1, ESC - F Greek (PS3.5 §6.1.2.5).
    ("charset_iso2022_ir100.dcm", ["", "ISO 2022 IR 100"],
     b"M\x1b-A\xfcller^Zo\xeb", b"Klinikum M\x1b-A\xf6nchengladbach"),
    ("charset_iso2022_ir126.dcm", ["ISO 2022 IR 6", "ISO 2022 IR 126"],
     b"Dionysiou^Eleni=\x1b-F\xc4\xe9\xef\xed\xf5\xf3\xdf\xef\xf5^\xc5\xeb\xdd\xed\xe7", b"Athens"),
]


def write(name, charset, patient, institution) -> pathlib.Path:
    ds = Dataset()
    if charset is not None:
        ds.SpecificCharacterSet = charset
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
    ds.SOPInstanceUID = UID_ROOT + str(sum(map(ord, name)))
    ds.StudyDate = "20260102"
    ds.AccessionNumber = "ACC-" + str(len(name))
    ds.Modality = "MR"
    ds.Manufacturer = "SIEMENS"
    ds.PatientID = "PID" + str(sum(map(ord, name)))
    ds.PatientBirthDate = "19650412"
    ds.PatientSex = "F"
    ds.StudyInstanceUID = UID_ROOT + "1"
    ds.SeriesInstanceUID = UID_ROOT + "2"
    if isinstance(patient, bytes):
        ds.add_new(0x00100010, "PN", patient)
    else:
        ds.PatientName = patient
    if isinstance(institution, bytes):
        ds.add_new(0x00080080, "LO", institution)
    else:
        ds.InstitutionName = institution
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = UID_ROOT + "9"
    ds.file_meta = meta
    path = OUT / name
    ds.save_as(path, enforce_file_format=True)
    return path


def reference(path: pathlib.Path) -> dict:
    ds = pydicom.dcmread(path)
    pn = ds.PatientName
    charset = ds.get("SpecificCharacterSet")
    return {
        "file": path.name,
        "specific_character_set": None if charset is None else (list(charset) if not isinstance(charset, str) else [charset]),
        "patient_name": str(pn),
        "alphabetic": pn.alphabetic,
        "family_name": pn.family_name,
        "given_name": pn.given_name,
        "middle_name": pn.middle_name,
        "name_prefix": pn.name_prefix,
        "name_suffix": pn.name_suffix,
        "ideographic": pn.ideographic,
        "phonetic": pn.phonetic,
        "patient_id": str(ds.PatientID),
        "patient_birth_date": str(ds.PatientBirthDate),
        "patient_sex": str(ds.PatientSex),
        "accession_number": str(ds.AccessionNumber),
        "study_date": str(ds.StudyDate),
        "study_instance_uid": str(ds.StudyInstanceUID),
        "institution_name": str(ds.InstitutionName),
        "manufacturer": str(ds.Manufacturer),
        "raw_patient_name_hex": ds["PatientName"].value.original_string.hex()
        if hasattr(ds["PatientName"].value, "original_string") else None,
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    refs = [reference(write(*case)) for case in CASES]
    doc = {"provenance": f"tools/dicom_charset_fixtures.py with pydicom {pydicom.__version__}", "files": refs}
    (OUT / "charset_reference.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    for r in refs:
        print(r["file"], r["specific_character_set"], r["patient_name"], "|", r["institution_name"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
