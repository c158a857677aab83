#!/usr/bin/env python3
"""Exact AUC of ROCTests' large case (n = 100,000), computed independently of the Swift code.

The test draws its data from SplitMix64(seed 3): labels y_i = nextIndex(2) for i < n, then
scores x_i = y_i + 2·unit(). This script restates that generator (Steele, Lea & Flood 2014;
the multiply-shift index and 53-bit unit of LinearAlgebra/SplitMix64.swift), rebuilds the
same 100,000 numbers, and computes the AUC twice: scikit-learn's roc_auc_score, and the
Mann–Whitney count (pairs case > control, ties ½) by binary search over the sorted controls.

Rerun (Debian's python3 with a venv holding scikit-learn):
    python3 -m venv tools/.venv-biostat && tools/.venv-biostat/bin/pip install scikit-learn
    tools/.venv-biostat/bin/python tools/biostat/roc_scale_reference.py fixtures/biostatistics
"""
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

M64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def unit(self):
        return (self.next() >> 11) * 2.0 ** -53

    def next_index(self, n):
        return ((self.next() >> 32) * n) >> 32


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "fixtures/biostatistics")
    n, seed = 100_000, 3
    g = SplitMix64(seed)
    y = np.array([float(g.next_index(2)) for _ in range(n)])
    x = np.array([yi + g.unit() * 2 for yi in y])
    cases, controls = np.sort(x[y == 1]), np.sort(x[y == 0])
    below = np.searchsorted(controls, cases, side="left")
    not_above = np.searchsorted(controls, cases, side="right")
    twice_u = int(np.sum(below) + np.sum(not_above))   # 2·(#less + ½·#equal)
    exact = twice_u / (2 * len(cases) * len(controls))
    sk = float(roc_auc_score(y, x))
    assert abs(exact - sk) < 1e-12, (exact, sk)
    ref = {"source": "tools/biostat/roc_scale_reference.py", "scikit-learn": version("scikit-learn"),
           "n": n, "seed": seed, "cases": int(len(cases)), "controls": int(len(controls)),
           "twiceMannWhitneyU": twice_u, "auc": exact, "aucScikitLearn": sk,
           "sumScores": float(np.sum(x))}
    (out / "roc_scale_ref.json").write_text(json.dumps(ref, indent=1) + "\n")
    print(json.dumps(ref, indent=1))


if __name__ == "__main__":
    main()
