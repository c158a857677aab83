#!/usr/bin/python3
"""Peer check of `her2mri convert` against Debian's dcm2niix, in world space.

For every input folder: runs `dcm2niix -f %s_%d -b y -z n` and `her2mri convert` into two fresh
folders, pairs their NIfTI files (by name, else by the sidecar's SeriesNumber / EchoNumber and
phase flag) and compares each pair:
  - grid: the voxel -> voxel map inv(A_ours) @ A_dcm2niix must be a signed permutation with an
    integer offset (dcm2niix flips rows and may reorder slices; we keep DICOM's order), within
    0.01 voxel; then shape and voxel size after that permutation;
  - values: for each voxel of one file the voxel at the same world position of the other holds
    the same scaled value (nibabel applies scl_slope / scl_inter): integer data exactly, float
    data to 1e-5 relative;
  - sidecar: Manufacturer, ManufacturersModelName, MagneticFieldStrength, SeriesNumber,
    SeriesDescription, ProtocolName, RepetitionTime, EchoTime, FlipAngle, SliceThickness,
    ImageType, AcquisitionTime (strings equal, numbers to 1e-5 relative; a key absent on one
    side is reported).
Prints a Markdown table (series, result, reason) and writes the details as JSON.

Needs: dcm2niix (apt-get install dcm2niix), python3-nibabel, python3-numpy, a built her2mri.
Rerun (dcm2niix's validation data, fetched outside the repository, never committed):
    tools/convert/fetch_dcm_qa.sh /tmp/dcm_qa          # extracts neurolabusc/dcm_qa* there
    tools/convert/compare_with_dcm2niix.py --her2mri .build/release/her2mri \
        --work /tmp/convert-peer --json /tmp/convert-peer.json /tmp/dcm_qa/*/In
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import nibabel as nib
import numpy as np

SIDECAR_KEYS = ["Manufacturer", "ManufacturersModelName", "MagneticFieldStrength", "SeriesNumber",
                "SeriesDescription", "ProtocolName", "RepetitionTime", "EchoTime", "FlipAngle",
                "SliceThickness", "ImageType", "AcquisitionTime"]


def outputs(folder):
    """name (without extension) -> (nii path, sidecar dict or {})."""
    result = {}
    for root, _, files in os.walk(folder):
        for f in files:
            if f.endswith(".nii") or f.endswith(".nii.gz"):
                name = f[:-7] if f.endswith(".nii.gz") else f[:-4]
                js = os.path.join(root, name + ".json")
                meta = json.load(open(js)) if os.path.exists(js) else {}
                result[name] = (os.path.join(root, f), meta)
    return result


def grid_map(a_aff, b_aff, b_shape):
    """The signed permutation p, signs s and offset o with b_index[p[i]] = s[i]*a_index[i] + o[p[i]]."""
    m = np.linalg.inv(b_aff) @ a_aff
    r = np.round(m[:3, :3])
    dev = float(np.max(np.abs(m[:3, :3] - r)))
    perm, signs = [], []
    for i in range(3):
        col = r[:, i]
        nz = np.nonzero(col)[0]
        if len(nz) != 1 or abs(col[nz[0]]) != 1:
            return None, "grids differ: voxel axes are not a permutation (max deviation %.3g)" % float(np.max(np.abs(m[:3, :3] - np.round(m[:3, :3]))))
        perm.append(int(nz[0]))
        signs.append(int(col[nz[0]]))
    if sorted(perm) != [0, 1, 2]:
        return None, "grids differ: axes collapse"
    off = m[:3, 3]
    offr = np.round(off)
    dev = max(dev, float(np.max(np.abs(off - offr))))
    if dev > 0.01:
        return None, "grids differ by %.3g voxel" % dev
    return (perm, signs, offr.astype(int), dev), None


class Image:
    """A NIfTI file as the comparison needs it: affine, zooms, stored dtype, scaled values."""

    def __init__(self, path=None, parent=None, volume=None):
        if parent is not None:
            self.affine, self.zooms, self.dtype, self.scl = parent.affine, parent.zooms, parent.dtype, parent.scl
            self.values = parent.values[..., volume]
            self.shape = self.values.shape
            return
        img = nib.load(path)
        self.affine = img.affine
        self.zooms = img.header.get_zooms()[:3]
        self.dtype = img.get_data_dtype()
        slope, inter = img.dataobj.slope, img.dataobj.inter
        slope = 1.0 if slope is None or np.isnan(slope) else float(slope)
        inter = 0.0 if inter is None or np.isnan(inter) else float(inter)
        self.scl = (slope, inter)
        self.values = np.asanyarray(img.dataobj).astype(np.float64) * slope + inter  # nibabel's rule
        self.shape = self.values.shape


def compare_pair(ours_path, ref_path):
    """(status, detail, score): score 0 when they agree, else larger the worse (for pairing)."""
    a, b = Image(ours_path), Image(ref_path)
    if len(a.shape) == 3 and len(b.shape) == 4 and b.shape[3] > 1:
        # One of our 3-D files against one volume of dcm2niix's 4-D file (Siemens XA "MFSPLIT"
        # classic exports: one series per volume, which dcm2niix joins).
        best = None
        for t in range(b.shape[3]):
            st, why, score = compare_images(a, Image(parent=b, volume=t))
            if st == "agree":
                return "agree", "volume %d of dcm2niix's %d (dcm2niix joins the per-volume series); %s" % (t + 1, b.shape[3], why), 0
            best = best if best and best[2] <= score else (st, why, score)
        return best[0], "none of dcm2niix's %d volumes equals it; best: %s" % (b.shape[3], best[1]), best[2]
    return compare_images(a, b)


def compare_images(a, b):
    mapping, why = grid_map(a.affine, b.affine, b.shape)
    if mapping is None:
        return "differ", why, 3
    perm, signs, off, dev = mapping
    sa, sb = a.shape, b.shape
    extra_a, extra_b = sa[3:] or (1,), sb[3:] or (1,)
    if any(sa[i] != sb[perm[i]] for i in range(3)) or int(np.prod(extra_a)) != int(np.prod(extra_b)):
        return "differ", "shape %s vs dcm2niix %s" % (list(sa), list(sb)), 2
    za, zb = a.zooms, b.zooms
    if any(abs(za[i] - zb[perm[i]]) > 1e-4 * max(za[i], 1) for i in range(3)):
        return "differ", "voxel size %s vs dcm2niix %s" % ([round(float(z), 5) for z in za], [round(float(z), 5) for z in zb]), 2
    va = a.values.reshape(sa[:3] + (-1,))
    vb = b.values.reshape(sb[:3] + (-1,))
    # Bring dcm2niix's array into our index order: our index i -> its index s*i + o.
    inv = [perm.index(j) for j in range(3)]
    vb = np.transpose(vb, inv + [3])
    for i in range(3):
        start = off[perm[i]]
        idx = start - np.arange(sa[i]) if signs[i] < 0 else start + np.arange(sa[i])
        if idx.min() < 0 or idx.max() >= vb.shape[i]:
            return "differ", "grids overlap only partly (axis %d)" % i, 2
        vb = np.take(vb, idx, axis=i)
    diff = np.abs(va - vb)
    if np.issubdtype(a.dtype, np.integer) and np.issubdtype(b.dtype, np.integer):
        tol = 0.0  # integer data: the scaled values must be equal
    else:
        tol = 1e-5 * np.maximum(np.maximum(np.abs(va), np.abs(vb)), 1e-5 * max(float(np.max(np.abs(vb))), 1e-30))
    bad = diff > tol
    if np.any(bad):
        n = int(np.count_nonzero(bad))
        rel = float(np.max(diff / np.maximum(np.maximum(np.abs(va), np.abs(vb)), 1e-30)))
        return "differ", "%d of %d voxels differ (max |diff| %.6g, max relative %.3g; ours %s scl %s, dcm2niix %s scl %s)" % (
            n, bad.size, float(np.max(diff)), rel, a.dtype, a.scl, b.dtype, b.scl), n / bad.size
    return "agree", "max |diff| %.3g, grid deviation %.2g voxel, %s vs %s" % (float(np.max(diff)) if diff.size else 0.0, dev, a.dtype, b.dtype), 0


def seconds_of_day(text):
    try:
        h, m, sec = text.split(":")
        return int(h) * 3600 + int(m) * 60 + float(sec)
    except ValueError:
        return None


def compare_sidecars(ours, ref):
    diffs = []
    for k in SIDECAR_KEYS:
        a, b = ours.get(k), ref.get(k)
        if a is None and b is None:
            continue
        if a is None or b is None:
            diffs.append("%s: ours %s, dcm2niix %s" % (k, json.dumps(a), json.dumps(b)))
            continue
        if k == "AcquisitionTime" and isinstance(a, str) and isinstance(b, str):
            # dcm2niix 1.0.20220720 drops the zero padding of the seconds ("21:46:7.000000").
            sa, sb = seconds_of_day(a), seconds_of_day(b)
            if sa is None or sb is None or abs(sa - sb) > 1e-3:
                diffs.append("%s: %s vs %s" % (k, json.dumps(a), json.dumps(b)))
            continue
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            if abs(a - b) > 1e-5 * max(abs(a), abs(b), 1e-12):
                diffs.append("%s: %s vs %s" % (k, a, b))
        elif a != b:
            diffs.append("%s: %s vs %s" % (k, json.dumps(a), json.dumps(b)))
    return diffs


def pair(ours, ref):
    """(ref name, our name or None) for every dcm2niix output, and our outputs left unpaired.
    By name, else among ours with the same SeriesNumber and SeriesDescription the one that
    agrees best (echo and component suffixes are named differently for some Enhanced files)."""
    pairs, used = [], set()
    for rname in sorted(ref):
        if rname in ours:
            pairs.append((rname, rname))
            used.add(rname)
    for rname in sorted(ref):
        if any(p[0] == rname for p in pairs):
            continue
        rmeta = ref[rname][1]
        cands = [n for n in sorted(ours) if n not in used and ours[n][1].get("SeriesNumber") == rmeta.get("SeriesNumber")
                 and ours[n][1].get("SeriesDescription") == rmeta.get("SeriesDescription")]
        if len(cands) > 1:
            cands.sort(key=lambda n: compare_pair(ours[n][0], ref[rname][0])[2])
        if cands:
            pairs.append((rname, cands[0]))
            used.add(cands[0])
        else:
            pairs.append((rname, None))
    # Ours left: against a dcm2niix 4-D file of the same description (joined per-volume series).
    extra = []
    for n in sorted(ours):
        if n in used:
            continue
        host = [r for r in sorted(ref) if ref[r][1].get("SeriesDescription") == ours[n][1].get("SeriesDescription")
                and len(nib.load(ref[r][0]).shape) == 4]
        extra.append((n, host[0] if host else None))
    return sorted(pairs), extra


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--her2mri", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--json")
    ap.add_argument("--dcm2niix-args", default="", help="extra dcm2niix options, e.g. '-p n' (Philips display scaling)")
    ap.add_argument("--per-subfolder", action="store_true", help="convert each immediate subfolder of an input on its own")
    args = ap.parse_args()
    rows, details = [], []
    jobs = []
    for inp in args.inputs:
        inp = os.path.abspath(inp)
        subs = sorted(d for d in os.listdir(inp) if os.path.isdir(os.path.join(inp, d))) if args.per_subfolder else []
        jobs += [os.path.join(inp, d) for d in subs] or [inp]
    for inp in jobs:
        label = os.path.relpath(inp, os.path.dirname(os.path.dirname(inp)))
        key = label.replace("/", "__")
        od, oh = os.path.join(args.work, key, "dcm2niix"), os.path.join(args.work, key, "her2mri")
        for d in (od, oh):
            shutil.rmtree(d, ignore_errors=True)
        os.makedirs(od)
        r1 = run(["dcm2niix", "-f", "%s_%d", "-b", "y", "-z", "n"] + args.dcm2niix_args.split() + ["-o", od, inp])
        r2 = run([args.her2mri, "convert", inp, "--out", oh])
        skipped = [l for l in r2.stdout.splitlines() if l.startswith("skipped") or l.startswith("unreadable")]
        ours, ref = outputs(oh), outputs(od)
        pairs, extra = pair(ours, ref)
        for rname, oname in pairs:
            if oname is None:
                sn, sd = ref[rname][1].get("SeriesNumber"), ref[rname][1].get("SeriesDescription")
                reason = next((l for l in skipped if ('series %s "%s"' % (sn, sd)) in l), None)
                status = "unsupported" if reason else "missing"
                if reason:  # "skipped series N "desc" (k file(s)): path: unsupported: why" -> why, path
                    head, _, why = reason.rpartition(": unsupported: ")
                    reason = (why + " (" + head.split("): ", 1)[-1] + ")") if why else reason
                rows.append((label, rname, "-", status, (reason or "no output from her2mri").replace("|", "/")[:300]))
                continue
            status, why, _ = compare_pair(ours[oname][0], ref[rname][0])
            sdiff = compare_sidecars(ours[oname][1], ref[rname][1])
            rows.append((label, rname, oname, status, why + ("; sidecar: " + "; ".join(sdiff) if sdiff else "")))
        for oname, host in extra:
            if host is None:
                rows.append((label, "-", oname, "ours only", "dcm2niix wrote no file for it"))
            else:
                status, why, _ = compare_pair(ours[oname][0], ref[host][0])
                rows.append((label, host, oname, status, why))
        for l in skipped:
            sn_desc = l.split("(", 1)[0].replace("skipped", "").strip()  # series N "desc"
            if not any(r[0] == label and r[3] == "unsupported" and r[1].startswith(sn_desc.split()[1] + "_") for r in rows
                       if len(sn_desc.split()) > 1):
                rows.append((label, "-", "-", "skipped by her2mri", l.replace("|", "/")[:300]))
        details.append({"input": inp, "dcm2niix_stderr": r1.stderr[-2000:], "dcm2niix_stdout": r1.stdout[-4000:],
                        "her2mri_status": r2.returncode, "her2mri_stdout": r2.stdout, "her2mri_stderr": r2.stderr})
    print("| input | dcm2niix file | her2mri file | result | detail |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    counts = {}
    for r in rows:
        counts[r[3]] = counts.get(r[3], 0) + 1
    print("\n" + ", ".join("%s: %d" % kv for kv in sorted(counts.items())))
    if args.json:
        json.dump({"rows": rows, "runs": details}, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
