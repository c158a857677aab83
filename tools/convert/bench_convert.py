#!/usr/bin/python3
"""Speed of `her2mri convert` beside Debian's dcm2niix on one 500-slice classic series.

Rerun (from the repository root, after `swift build -c release`; needs dcm2niix and
python3-pydicom from Debian):
    /usr/bin/python3 tools/convert/bench_convert.py [--slices 500] [--size 512] [--work /tmp/convert-bench]
Writes the series once (pydicom: MR Image Storage, explicit VR little endian, one 16-bit file per
slice, an axial stack of `--slices` slices with a smooth pattern plus noise, files in shuffled
order), then converts it with each tool in rounds (default 4; which tool goes first alternates) in
the same run, prints the
wall-clock seconds of every round, the ratios of the minima and medians and the load average
(the machine is shared: compare the ratios),
and checks the two outputs hold the same voxels (tools/convert/compare_with_dcm2niix.py).
"""
import argparse
import os
import random
import resource
import shutil
import subprocess
import time

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write_series(folder, slices, size):
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:size, 0:size]
    base = 800 + 600 * np.sin(x / 23.0) * np.cos(y / 31.0)
    order = list(range(slices))
    random.Random(3).shuffle(order)
    uid = "1.2.826.0.1.3680043.10.999.80"
    for n, k in enumerate(order):
        ds = Dataset()
        ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
        ds.SOPInstanceUID = f"{uid}.3.{k + 1}"
        ds.StudyInstanceUID = f"{uid}.1"
        ds.SeriesInstanceUID = f"{uid}.2"
        ds.FrameOfReferenceUID = f"{uid}.4"
        ds.Modality = "MR"
        ds.Manufacturer = "SIEMENS"
        ds.PatientName = "Bench^Series"
        ds.PatientID = "BENCH"
        ds.SeriesNumber = 9
        ds.SeriesDescription = "bench t1 500 slices"
        ds.InstanceNumber = k + 1
        ds.AcquisitionTime = "101500.000"
        ds.RepetitionTime = "5.2"
        ds.EchoTime = "2.4"
        ds.FlipAngle = "10"
        ds.SliceThickness = "1"
        ds.ImagePositionPatient = ["-160", "-150", f"{-250 + 1.0 * k:.1f}"]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.PixelSpacing = ["0.7", "0.7"]
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows = ds.Columns = size
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.RescaleSlope, ds.RescaleIntercept = "1", "0"
        img = np.clip(base + 3 * k + rng.normal(0, 20, (size, size)), 0, 4095).astype("<u2")
        ds.PixelData = img.tobytes()
        ds["PixelData"].VR = "OW"
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta = meta
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.preamble = b"\0" * 128
        pydicom.dcmwrite(os.path.join(folder, f"{n:08X}"), ds, write_like_original=False)


def timed(cmd):
    """(wall seconds, CPU seconds = user + system of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({r.returncode}): {r.stderr[-1000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slices", type=int, default=500)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--work", default="/tmp/convert-bench")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--her2mri", default=os.path.join(ROOT, ".build/release/her2mri"))
    args = ap.parse_args()
    series = os.path.join(args.work, f"series-{args.slices}x{args.size}")
    if not os.path.isdir(series) or len(os.listdir(series)) != args.slices:
        shutil.rmtree(series, ignore_errors=True)
        write_series(series, args.slices, args.size)
    out_d, out_h = os.path.join(args.work, "dcm2niix"), os.path.join(args.work, "her2mri")
    load_before = os.getloadavg()
    t_d, t_h = [], []
    for r in range(args.rounds):
        # Alternate which tool goes first; each removes only its own previous output just before
        # it runs (freeing a 262 MB file changes what the next large write costs the kernel).
        runs = [("d", out_d), ("h", out_h)] if r % 2 == 0 else [("h", out_h), ("d", out_d)]
        for tool, out in runs:
            shutil.rmtree(out, ignore_errors=True)
            if tool == "d":
                os.makedirs(out_d)
                t_d.append(timed(["dcm2niix", "-f", "%s_%d", "-z", "n", "-b", "y", "-o", out_d, series]))
            else:
                t_h.append(timed([args.her2mri, "convert", series, "--out", out_h]))
    load_after = os.getloadavg()
    version = subprocess.run(["dcm2niix", "-v"], capture_output=True, text=True).stdout.strip().splitlines()
    med = lambda v: sorted(v)[len(v) // 2]
    print(f"series: {args.slices} slices of {args.size}x{args.size} 16-bit, {args.slices * args.size * args.size * 2 / 1e6:.0f} MB of pixels; {args.rounds} alternating rounds")
    for name, runs in ((f"dcm2niix {version[-1] if version else '?'}", t_d), ("her2mri convert", t_h)):
        wall, cpu = [w for w, _ in runs], [c for _, c in runs]
        print(f"{name:>26}: wall " + " ".join(f"{w:.2f}" for w in wall) + f" s (min {min(wall):.2f}); CPU " +
              " ".join(f"{c:.2f}" for c in cpu) + f" s (min {min(cpu):.2f})")
    for what, k in (("wall", 0), ("CPU", 1)):
        a, b = [r[k] for r in t_h], [r[k] for r in t_d]
        print(f"ratio her2mri / dcm2niix, {what}: min {min(a) / min(b):.2f}, median {med(a) / med(b):.2f}   (below 1: her2mri faster)")
    print(f"load average before / after: {load_before[0]:.2f} / {load_after[0]:.2f} (2 cores)")
    check = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools/convert/compare_with_dcm2niix.py"),
                            "--her2mri", args.her2mri, "--work", os.path.join(args.work, "check"), series],
                           capture_output=True, text=True)
    print(check.stdout.strip().splitlines()[-1] if check.stdout.strip() else check.stderr[-500:])


if __name__ == "__main__":
    main()
