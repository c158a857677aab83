"""Reads her2mri's report.dcm with pydicom and compares its PDF with report.pdf.
Run by Tests/ReportsTests/EncapsulatedPDFTests (Debian's python3-pydicom):

    python3 tools/reports/check_dicom_pdf.py report.dcm report.pdf

Prints JSON: the identifying attributes, whether the encapsulated bytes (cut to
EncapsulatedDocumentLength) equal report.pdf, and the pad length."""
import json
import sys

import pydicom

ds = pydicom.dcmread(sys.argv[1])
pdf = open(sys.argv[2], "rb").read()
doc = bytes(ds.EncapsulatedDocument)
n = int(ds.get("EncapsulatedDocumentLength", len(doc)))
print(json.dumps({
    "pydicom": pydicom.__version__,
    "transferSyntax": str(ds.file_meta.TransferSyntaxUID),
    "sopClassUID": str(ds.SOPClassUID),
    "mediaStorageSOPClassUID": str(ds.file_meta.MediaStorageSOPClassUID),
    "sopInstanceUID": str(ds.SOPInstanceUID),
    "studyInstanceUID": str(ds.StudyInstanceUID),
    "patientID": str(ds.PatientID),
    "patientName": str(ds.PatientName),
    "accessionNumber": str(ds.AccessionNumber),
    "modality": str(ds.Modality),
    "mimeType": str(ds.MIMETypeOfEncapsulatedDocument),
    "pdfEqual": doc[:n] == pdf,
    "pad": len(doc) - n,
    "padBytesZero": all(b == 0 for b in doc[n:]),
}, ensure_ascii=False))
