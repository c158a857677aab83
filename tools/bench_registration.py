#!/usr/bin/env python3
"""Rigid Mattes-MI registration: her2mri (Volumes.RigidRegistration) beside SimpleITK, one run.

Both sides get the same files and the same method: Euler 3-D transform about the fixed image's
centre starting at the identity, Mattes mutual information with 50 bins, random sampling of
the fixed voxels (10 % by default, drawn once per level) inside the fixed image's body (the mask
our side finds, as the preprocessor does, is given to SimpleITK as its fixed mask; --whole-image
drops it on both sides), linear interpolation, a pyramid with shrink 4/2/1 and Gaussian sigma
2/1/0 mm, regular-step gradient descent (learning rate 1,
minimum step 1e-4, relaxation 0.5, gradient tolerance 1e-4, at most 100 iterations per level)
with parameter scales from physical shift, and the same number of threads. Three differences, all
ours and all stated in Volumes/README.md: our step is measured in mm of physical shift for
every parameter (ITK's v4 rule, measured, stops short on thick-slice T2); a level also stops
when 10 iterations improved the metric by less than 1e-4 of its value (SimpleITK's regular-step
optimiser exposes no such window; `--convergence-window 0` switches ours off); and our step
doubles (up to the learning rate) after 2 iterations without a turn back, where ITK's only
shrinks (`--step-growth-after 0` switches ours off). Times exclude file
reading on both sides and include each side's pyramid. Errors are against the synthetic
generator's truth (truth/truth.csv): the rotation angle between the found and the true
rotation, and the distance between the two maps at the world origin (the generator's centre).

Rerun (from the package root, after `swift build -c release`):
    python3 -m venv tools/.venv-reg && tools/.venv-reg/bin/pip install SimpleITK numpy
    tools/.venv-reg/bin/python tools/bench_registration.py --cohort /tmp/reg-cohort
The cohort (one clinical-size study per centre, DCE 256x256x80 at 0.7x0.7x2 mm) is written
by `her2mri synth --size clinical` when the folder does not exist.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import SimpleITK as sitk


def rotation_zyx(deg):
    """R = Rz Ry Rx (our RigidTransform's and the generator's convention), degrees."""
    x, y, z = (math.radians(d) for d in deg)
    rx = np.array([[1, 0, 0], [0, math.cos(x), -math.sin(x)], [0, math.sin(x), math.cos(x)]])
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rz = np.array([[math.cos(z), -math.sin(z), 0], [math.sin(z), math.cos(z), 0], [0, 0, 1]])
    return rz @ ry @ rx


def errors(matrix, centre, translation, truth_deg, truth_t):
    """(degrees, mm): angle of M R*^T, and |T(0) - T*(0)| with T(x) = M(x - c) + c + t."""
    m = np.asarray(matrix)
    r = rotation_zyx(truth_deg)
    cos = (np.trace(m @ r.T) - 1) / 2
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cos))))
    c = np.asarray(centre)
    at_origin = m @ (-c) + c + np.asarray(translation)
    return angle, float(np.linalg.norm(at_origin - np.asarray(truth_t)))


def read_truth(root):
    out = {}
    with open(os.path.join(root, "truth", "truth.csv")) as f:
        for row in csv.DictReader(f):
            motion = [[float(v) for v in p.split()] for p in row["dceMotion"].split("|")]
            out[row["studyId"]] = {
                "centre": row["centre"],
                "T2": ([float(row[f"t2Rot{a}"]) for a in "XYZ"], [float(row[f"t2Trans{a}"]) for a in "XYZ"]),
                "T1": ([float(row[f"t1Rot{a}"]) for a in "XYZ"], [float(row[f"t1Trans{a}"]) for a in "XYZ"]),
                "DCE": [(m[:3], m[3:]) for m in motion],
            }
    return out


def phase(image, p):
    """Phase p of a 4-D image as a float32 3-D image (a 3-D image as it is)."""
    if image.GetDimension() == 4:
        size = list(image.GetSize())
        size[3] = 0
        image = sitk.Extract(image, size, [0, 0, 0, p])
    return sitk.Cast(image, sitk.sitkFloat32)


def simpleitk_register(fixed, moving, args, seed, mask=None):
    r = sitk.ImageRegistrationMethod()
    r.SetMetricAsMattesMutualInformation(numberOfHistogramBins=50)
    if mask is not None:
        r.SetMetricFixedMask(mask)
    if args.sampling < 1:
        r.SetMetricSamplingStrategy(r.RANDOM)
        r.SetMetricSamplingPercentage(args.sampling, seed)
    else:
        r.SetMetricSamplingStrategy(r.NONE)
    r.SetInterpolator(sitk.sitkLinear)
    r.SetOptimizerAsRegularStepGradientDescent(learningRate=1.0, minStep=args.min_step, numberOfIterations=100,
                                               relaxationFactor=0.5, gradientMagnitudeTolerance=1e-4)
    r.SetOptimizerScalesFromPhysicalShift()
    r.SetShrinkFactorsPerLevel([4, 2, 1])
    r.SetSmoothingSigmasPerLevel([2, 1, 0])
    r.SmoothingSigmasAreSpecifiedInPhysicalUnitsOn()
    tx = sitk.Euler3DTransform()
    centre_index = [(n - 1) / 2 for n in fixed.GetSize()]
    tx.SetCenter(fixed.TransformContinuousIndexToPhysicalPoint(centre_index))
    r.SetInitialTransform(tx, inPlace=False)
    start = time.perf_counter()
    out = r.Execute(fixed, moving)
    seconds = time.perf_counter() - start
    if isinstance(out, sitk.CompositeTransform) or out.GetName() == "CompositeTransform":
        out = sitk.CompositeTransform(out).GetNthTransform(0)
    e = sitk.Euler3DTransform(out)
    m = np.array(e.GetMatrix()).reshape(3, 3)
    return seconds, m, e.GetCenter(), e.GetTranslation(), r.GetOptimizerIteration()


def ours_register(binary, fixed_file, moving_file, fixed_phase, moving_phase, args, write_mask=None):
    cmd = [binary, "register", fixed_file, moving_file, "--fixed-phase", str(fixed_phase),
           "--moving-phase", str(moving_phase), "--sampling", str(args.sampling), "--threads", str(args.threads),
           "--min-step", str(args.min_step), "--convergence-window", str(args.convergence_window),
           "--step-growth-after", str(args.step_growth_after)]
    if not args.whole_image:
        cmd.append("--inside-body")
        if write_mask:
            cmd += ["--write-mask", write_mask]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    t = report["result"]["transform"]
    return report["seconds"], report["matrix"], t["centre"], t["translation"], sum(report["result"]["iterations"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cohort", default="/tmp/her2mri-reg-cohort", help="cohort folder (written when missing)")
    ap.add_argument("--patients", type=int, default=4, help="studies to write when the cohort is missing")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--bin", default=None, help="her2mri binary (default: swift build -c release --show-bin-path)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sampling", type=float, default=0.1, help="fraction of fixed voxels sampled (1 = all)")
    ap.add_argument("--min-step", type=float, default=1e-4)
    ap.add_argument("--convergence-window", type=int, default=10, help="ours: 0 switches the convergence window off")
    ap.add_argument("--step-growth-after", type=int, default=2, help="ours: 0 switches the step growth off (ITK's rule)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per side and pair; the minimum time is kept")
    ap.add_argument("--pairs", default="T2,T1,DCE1,DCE5", help="moving images: T2, T1, DCE<p>")
    ap.add_argument("--studies", type=int, default=4, help="how many studies of the cohort to use")
    ap.add_argument("--whole-image", action="store_true",
                    help="sample the whole fixed image (default: only its body, as the preprocessor does: ours "
                         "finds the body mask, inside its timed run, and SimpleITK gets the same mask)")
    args = ap.parse_args()

    binary = args.bin or os.path.join(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"],
                                                     check=True, capture_output=True, text=True).stdout.strip(), "her2mri")
    if not os.path.isdir(args.cohort):
        print(f"writing {args.patients} clinical-size studies to {args.cohort} ...", flush=True)
        subprocess.run([binary, "synth", "--out", args.cohort, "--patients", str(args.patients), "--seed", str(args.seed),
                        "--size", "clinical"], check=True)
    truth = read_truth(args.cohort)
    sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(args.threads)
    print(f"SimpleITK {sitk.Version_VersionString()}, threads {args.threads}, sampling {args.sampling:g}, "
          f"min step {args.min_step:g}, {'whole image' if args.whole_image else 'inside the body mask (both)'}")
    print("load before:", open("/proc/loadavg").read().strip())
    header = f"{'study':8} {'ctr':3} {'moving':6} {'ours s':>7} {'sitk s':>7} {'ratio':>6}  {'ours °':>7} {'ours mm':>7}  {'sitk °':>7} {'sitk mm':>7}  {'it ours':>7} {'it sitk':>7}"
    print(header)
    rows = []
    for sid in sorted(truth)[: args.studies]:
        folder = os.path.join(args.cohort, sid)
        dce_file = os.path.join(folder, "dce.nii.gz")
        dce = sitk.ReadImage(dce_file)
        fixed = phase(dce, 0)
        mask_file = os.path.join(tempfile.mkdtemp(prefix="bench-reg-"), "body.nii.gz")
        mask = None
        for pair in args.pairs.split(","):
            if pair.startswith("DCE"):
                p = int(pair[3:])
                moving_file, moving_phase = dce_file, p
                moving = phase(dce, p)
                true_deg, true_t = truth[sid]["DCE"][p]
            else:
                moving_file, moving_phase = os.path.join(folder, pair.lower() + ".nii.gz"), 0
                moving = phase(sitk.ReadImage(moving_file), 0)
                true_deg, true_t = truth[sid][pair]
            ours = min((ours_register(binary, dce_file, moving_file, 0, moving_phase, args,
                                      write_mask=mask_file if mask is None else None) for _ in range(args.repeat)),
                       key=lambda r: r[0])
            if mask is None and not args.whole_image:
                mask = sitk.Cast(sitk.ReadImage(mask_file), sitk.sitkUInt8)
            theirs = min((simpleitk_register(fixed, moving, args, seed=1 + k, mask=mask) for k in range(args.repeat)),
                         key=lambda r: r[0])
            eo = errors(ours[1], ours[2], ours[3], true_deg, true_t)
            es = errors(theirs[1], theirs[2], theirs[3], true_deg, true_t)
            row = (sid, truth[sid]["centre"], pair, ours[0], theirs[0], theirs[0] / ours[0], eo, es, ours[4], theirs[4])
            rows.append(row)
            print(f"{sid:8} {row[1]:3} {pair:6} {ours[0]:7.2f} {theirs[0]:7.2f} {row[5]:6.1f}  {eo[0]:7.3f} {eo[1]:7.3f}  "
                  f"{es[0]:7.3f} {es[1]:7.3f}  {ours[4]:7d} {theirs[4]:7d}", flush=True)
    print("load after: ", open("/proc/loadavg").read().strip())
    ratios = sorted(r[5] for r in rows)
    print(f"speed ratio SimpleITK / ours: median {ratios[len(ratios) // 2]:.1f}, min {ratios[0]:.1f}, max {ratios[-1]:.1f}")
    print(f"ours:      max error {max(r[6][0] for r in rows):.3f} deg, {max(r[6][1] for r in rows):.3f} mm; "
          f"mean time {sum(r[3] for r in rows) / len(rows):.2f} s")
    print(f"SimpleITK: max error {max(r[7][0] for r in rows):.3f} deg, {max(r[7][1] for r in rows):.3f} mm; "
          f"mean time {sum(r[4] for r in rows) / len(rows):.2f} s")


if __name__ == "__main__":
    sys.exit(main())
