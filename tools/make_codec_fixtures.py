#!/usr/bin/env python3
"""Make the codec test fixtures in fixtures/codecs/ (rerun: see fixtures/codecs/README.md).

Each case is a small deterministic image encoded with one codec, stored as the compressed
frame (`<name>.bin`) and a JSON file with the frame description and the values pydicom 3
decodes from it (`reference`), which the Swift tests must reproduce within `tolerance`.
For near-lossless JPEG-LS the original image is stored too (|decoded - original| <= NEAR).

Encoders: imagecodecs (libjpeg-turbo 3, OpenJPEG, CharLS) and pydicom's RLE encoder; for the
JPEG lossless cases with a point transform and restart markers, which no installed encoder
writes, a small encoder below written from ITU T.81 Annex H. The reference decode always goes
through pydicom with the pylibjpeg plugins (pylibjpeg-libjpeg is Thomas Richter's libjpeg, an
implementation independent of both libjpeg-turbo and CharLS) or pydicom's own RLE decoder.

Setup:  python3 -m venv tools/.venv-codecs
        tools/.venv-codecs/bin/pip install pydicom numpy pylibjpeg pylibjpeg-openjpeg \
            pylibjpeg-libjpeg pyjpegls imagecodecs
Run:    tools/.venv-codecs/bin/python tools/make_codec_fixtures.py
"""
import base64
import json
import pathlib
from importlib import metadata

import imagecodecs
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import (JPEG2000, JPEG2000Lossless, JPEGBaseline8Bit, JPEGExtended12Bit, JPEGLossless,
                         JPEGLSLossless, JPEGLSNearLossless, RLELossless, ExplicitVRLittleEndian)

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "codecs"
ROWS, COLUMNS = 24, 40


def phantom(seed, low, high):
    """A smooth 'anatomy' (two blobs and a gradient) plus Gaussian noise, scaled to [low, high]."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:ROWS, 0:COLUMNS].astype(np.float64)
    img = 0.3 * x / COLUMNS
    img += np.exp(-((x - 14) ** 2 + (y - 10) ** 2) / 40.0)
    img += 0.6 * np.exp(-((x - 30) ** 2 + (y - 16) ** 2) / 15.0)
    img += 0.04 * rng.standard_normal(img.shape)
    img = (img - img.min()) / (img.max() - img.min())
    return np.round(low + img * (high - low)).astype(np.int64)


def reference_decode(frame, uid, bits_allocated, bits_stored, signed, plugin):
    """pydicom's stored values for one encapsulated frame, or libjpeg-turbo 3's (through
    imagecodecs) when `plugin` is "libjpeg-turbo" (see the point-transform case in main)."""
    if plugin == "libjpeg-turbo":
        return imagecodecs.jpeg8_decode(frame).astype(np.int64)
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = uid
    ds.Rows, ds.Columns = ROWS, COLUMNS
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits_allocated, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.NumberOfFrames = 1
    ds.PixelData = encapsulate([frame])
    ds["PixelData"].VR = "OB"
    ds.pixel_array_options(decoding_plugin=plugin)
    return ds.pixel_array.astype(np.int64)


def rle_encode(img, bits_allocated, bits_stored, signed):
    """pydicom's own RLE Lossless encoder; returns the one frame's bytes."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.Rows, ds.Columns = ROWS, COLUMNS
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits_allocated, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    dtype = {(8, False): np.uint8, (16, False): np.uint16, (16, True): np.int16}[(bits_allocated, signed)]
    ds.PixelData = img.astype(dtype).tobytes()
    ds.compress(RLELossless, encoding_plugin="pydicom")
    return pydicom.encaps.get_frame(ds.PixelData, 0, number_of_frames=1)


class BitWriter:
    """MSB-first bits with FF 00 stuffing (T.81 F.1.2.3)."""

    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, count):
        for i in range(count - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc, self.n = 0, 0

    def flush(self):
        while self.n:
            self.put(1, 1)  # pad with 1-bits (F.1.2.3)


def lossless_jpeg(img, precision, predictor, pt, restart):
    """A process-14 lossless JPEG of `img` (T.81 Annex H) with point transform `pt` and a
    restart interval of `restart` samples (0: none), one fixed Huffman table for SSSS 0..16."""
    # Code lengths 2,3,3,3,3,3,4,5,...,14: a complete-enough prefix code for 17 categories.
    lengths = [2, 3, 3, 3, 3, 3] + list(range(4, 15))
    bits = [lengths.count(k) for k in range(1, 17)]
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[k] = (code, length)
            code += 1
            k += 1
        code <<= 1
    src = (img >> pt).astype(np.int64)
    h, w = src.shape
    writer = BitWriter()
    chunks = []
    since, reset, restart_row = 0, True, 0
    for y in range(h):
        for x in range(w):
            if restart and since == restart:
                writer.flush()
                chunks.append(bytes(writer.out))
                writer = BitWriter()
                since, reset = 0, True
            if reset:
                p, reset, restart_row = 1 << (precision - pt - 1), False, y
            elif y == restart_row:
                p = src[y, x - 1]
            elif x == 0:
                p = src[y - 1, x]
            else:
                ra, rb, rc = src[y, x - 1], src[y - 1, x], src[y - 1, x - 1]
                p = [None, ra, rb, rc, ra + rb - rc, ra + ((rb - rc) >> 1), rb + ((ra - rc) >> 1), (ra + rb) >> 1][predictor]
            d = int(src[y, x] - p) & 0xFFFF
            if d == 32768:
                writer.put(*codes[16])
            else:
                if d > 32768:
                    d -= 65536
                ssss = abs(d).bit_length()
                writer.put(*codes[ssss])
                if ssss:
                    writer.put(d if d > 0 else d + (1 << ssss) - 1, ssss)
            since += 1
    writer.flush()
    chunks.append(bytes(writer.out))
    body = bytearray(b"\xFF\xD8")
    body += b"\xFF\xC3" + (11).to_bytes(2, "big") + bytes([precision]) + h.to_bytes(2, "big") + w.to_bytes(2, "big") + bytes([1, 1, 0x11, 0])
    dht = bytes([0x00]) + bytes(bits) + bytes(range(17))
    body += b"\xFF\xC4" + (2 + len(dht)).to_bytes(2, "big") + dht
    if restart:
        body += b"\xFF\xDD" + (4).to_bytes(2, "big") + restart.to_bytes(2, "big")
    body += b"\xFF\xDA" + (8).to_bytes(2, "big") + bytes([1, 1, 0x00, predictor, 0, pt])
    for i, chunk in enumerate(chunks):
        if i:
            body += bytes([0xFF, 0xD0 + (i - 1) % 8])
        body += chunk
    body += b"\xFF\xD9"
    return bytes(body)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    u12 = phantom(1, 20, 4000)
    s16 = phantom(2, -1800, 2600)
    u8 = phantom(3, 5, 250)
    u16 = phantom(4, 100, 64000)
    # Differences of exactly 32768 (SSSS 16) along the first row.
    u16_jumps = u16.copy()
    u16_jumps[0, :] = [0 if i % 2 == 0 else 32768 for i in range(COLUMNS)]

    cases = []

    def case(name, uid, img, bits_allocated, bits_stored, signed, frame, plugin, tolerance, **extra):
        ref = reference_decode(frame, uid, bits_allocated, bits_stored, signed, plugin)
        entry = {
            "name": name, "transfer_syntax": str(uid), "transfer_syntax_name": uid.name,
            "rows": ROWS, "columns": COLUMNS, "bits_allocated": bits_allocated, "bits_stored": bits_stored,
            "pixel_representation": 1 if signed else 0,
            "reference_decoder": (f"imagecodecs {imagecodecs.__version__} jpeg8_decode ({imagecodecs.jpeg8_version()})"
                                  if plugin == "libjpeg-turbo" else f"pydicom {pydicom.__version__}, decoding_plugin={plugin}"),
            "tolerance": tolerance, "reference": ref.reshape(-1).tolist(),
        }
        entry.update(extra)
        if extra.get("lossless_of"):
            assert np.array_equal(ref, img), name
        if extra.get("near") is not None:
            entry["original"] = img.reshape(-1).tolist()
            assert np.abs(ref - img).max() <= extra["near"], name
        (OUT / f"{name}.bin").write_bytes(frame)
        (OUT / f"{name}.json").write_text(json.dumps(entry, separators=(",", ":")) + "\n")
        cases.append(name)
        print(f"{name}: {len(frame)} bytes, max |ref - original| = {int(np.abs(ref - img).max())}")

    case("j2k_lossy_u12", JPEG2000, u12, 16, 12, False,
         imagecodecs.jpeg2k_encode(u12.astype(np.uint16), level=70, codecformat="j2k", reversible=False, bitspersample=12),
         "pylibjpeg", 2)
    case("j2k_lossy_s16", JPEG2000, s16, 16, 16, True,
         imagecodecs.jpeg2k_encode(s16.astype(np.int16), level=80, codecformat="j2k", reversible=False),
         "pylibjpeg", 2)
    case("j2k_lossless_s16_jp2", JPEG2000Lossless, s16, 16, 16, True,
         imagecodecs.jpeg2k_encode(s16.astype(np.int16), codecformat="jp2", reversible=True),
         "pylibjpeg", 0)
    case("jls_near2_u12", JPEGLSNearLossless, u12, 16, 12, False,
         imagecodecs.jpegls_encode(u12.astype(np.uint16), level=2), "pylibjpeg", 0, near=2)
    case("jls_near2_u8", JPEGLSNearLossless, u8, 8, 8, False,
         imagecodecs.jpegls_encode(u8.astype(np.uint8), level=2), "pylibjpeg", 0, near=2)
    case("jls_lossless_s16", JPEGLSLossless, s16, 16, 16, True,
         imagecodecs.jpegls_encode(s16.astype(np.int16).view(np.uint16)), "pylibjpeg", 0)
    case("jpeg_baseline_u8", JPEGBaseline8Bit, u8, 8, 8, False,
         imagecodecs.jpeg8_encode(u8.astype(np.uint8), level=85), "pylibjpeg", 2)
    for p in range(1, 8):
        case(f"jpeg_lossless_p{p}_u16", JPEGLossless, u16_jumps, 16, 16, False,
             imagecodecs.jpeg8_encode(u16_jumps.astype(np.uint16), lossless=True, predictor=p, bitspersample=16),
             "pylibjpeg", 0)
    # Point transform: pylibjpeg-libjpeg 2.5 decodes these streams to a constant 4095, while
    # libjpeg-turbo 3 gives exactly (original >> Pt) << Pt as T.81 H.1.2.1 requires (checked
    # here), so libjpeg-turbo 3 is the reference for this one case.
    shifted = (u12 >> 2) << 2
    case("jpeg_lossless_p6_pt2_rst_u12", JPEGLossless, shifted, 16, 12, False,
         lossless_jpeg(u12, 12, 6, 2, 2 * COLUMNS), "libjpeg-turbo", 0, lossless_of="original >> 2 << 2")
    case("jpeg_lossless_p1_rst_s16", JPEGLossless, s16, 16, 16, True,
         lossless_jpeg(s16 & 0xFFFF, 16, 1, 0, COLUMNS), "pylibjpeg", 0)
    case("rle_u8", RLELossless, u8, 8, 8, False, rle_encode(u8, 8, 8, False), "pydicom", 0)
    case("rle_s16", RLELossless, s16, 16, 16, True, rle_encode(s16, 16, 16, True), "pydicom", 0)

    # 12-bit DCT JPEG: no reference decode needed, the reader must refuse it clearly
    # (Debian's libjpeg-turbo 2.1 has 8-bit samples only).
    twelve = imagecodecs.jpeg8_encode(u12.astype(np.uint16), level=90, bitspersample=12)
    (OUT / "jpeg_extended_u12.bin").write_bytes(twelve)
    (OUT / "jpeg_extended_u12.json").write_text(json.dumps({
        "name": "jpeg_extended_u12", "transfer_syntax": str(JPEGExtended12Bit), "transfer_syntax_name": JPEGExtended12Bit.name,
        "rows": ROWS, "columns": COLUMNS, "bits_allocated": 16, "bits_stored": 12, "pixel_representation": 0,
        "expect": "unsupported"}) + "\n")

    versions = {p: metadata.version(p) for p in
                ["pydicom", "numpy", "imagecodecs", "pylibjpeg", "pylibjpeg-libjpeg", "pylibjpeg-openjpeg", "pyjpegls"]}
    (OUT / "manifest.json").write_text(json.dumps({
        "made_by": "tools/make_codec_fixtures.py", "versions": versions,
        "encoders": {"imagecodecs": {"jpeg8": imagecodecs.jpeg8_version(), "jpeg2k": imagecodecs.jpeg2k_version(),
                                     "jpegls": imagecodecs.jpegls_version()}},
        "cases": cases + ["jpeg_extended_u12"]}, indent=1) + "\n")


if __name__ == "__main__":
    main()
