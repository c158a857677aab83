"""Python references for Tests/BiostatisticsTests: dcurves (DCA), pingouin (ICC), scikit-learn (AUC).

Rerun (after tools/biostat/make_fixtures.R has written the CSV data sets):
    python3 -m venv tools/.venv-biostat
    tools/.venv-biostat/bin/pip install dcurves pingouin scikit-learn statsmodels
    tools/.venv-biostat/bin/python tools/biostat/make_fixtures.py fixtures/biostatistics
"""
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import dcurves
import pingouin
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score

out = Path(sys.argv[1] if len(sys.argv) > 1 else "fixtures/biostatistics")
versions = {k: version(k) for k in ["dcurves", "pingouin", "scikit-learn", "statsmodels", "pandas", "numpy"]}
versions["python"] = sys.version.split()[0]
(out / "versions_python.json").write_text(json.dumps(versions, indent=1))

# DCA on the calibration data set: net benefit of the model, treat-all, treat-none.
cal = pd.read_csv(out / "calibration.csv")
thresholds = [round(0.01 * i, 2) for i in range(1, 100)]
res = dcurves.dca(data=cal, outcome="y", modelnames=["p"], thresholds=thresholds)
def series(model, col):
    r = res[res["model"] == model].sort_values("threshold")
    return [float(v) for v in r[col]]
dca = {
    "thresholds": series("p", "threshold"),
    "netBenefit": {"model": series("p", "net_benefit"), "all": series("all", "net_benefit"),
                   "none": series("none", "net_benefit")},
    "netInterventionsAvoided": {"model": series("p", "net_intervention_avoided")},
}
(out / "dca_ref.json").write_text(json.dumps(dca))

# ICC cross-check with pingouin (point estimates; its CIs are rounded to 2 decimals).
icc = pd.read_csv(out / "icc.csv")
rows = []
for j in range(1, 6):
    name = f"feat{j}"
    long = pd.DataFrame({"target": list(range(len(icc))) * 2,
                         "rater": ["r1"] * len(icc) + ["r2"] * len(icc),
                         "rating": list(icc[name]) + list(icc[name + "_r2"])})
    t = pingouin.intraclass_corr(data=long, targets="target", raters="rater", ratings="rating").set_index("Type")
    rows.append({"name": name, "icc11": float(t.loc["ICC(1,1)", "ICC"]), "icc21": float(t.loc["ICC(A,1)", "ICC"]),
                 "icc31": float(t.loc["ICC(C,1)", "ICC"])})
(out / "icc_pingouin.json").write_text(json.dumps({"features": rows}))

# AUC cross-check with scikit-learn and logistic regression with statsmodels.
roc = pd.read_csv(out / "roc.csv")
auc = {s: float(roc_auc_score(roc["y"], roc[s])) for s in ["s1", "s2", "s3"]}
lg = pd.read_csv(out / "logit.csv")
m = sm.Logit(lg["y"], sm.add_constant(lg[["a", "b", "c"]])).fit(disp=0, tol=1e-14, maxiter=100)
(out / "python_crosscheck.json").write_text(json.dumps({
    "auc": auc,
    "logit": {"params": [float(v) for v in m.params], "bse": [float(v) for v in m.bse],
              "pvalues": [float(v) for v in m.pvalues], "aic": float(m.aic)}}))
print("python fixtures written to", out)
