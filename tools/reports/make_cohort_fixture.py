"""dcurves reference for Tests/ReportsTests/CohortMetricsTests (net benefit per model, treat all,
treat none) on fixtures/reports/cohort_predictions.csv (made by make_cohort_fixture.R).

Rerun from the package root:
    python3 -m venv tools/.venv-reports && tools/.venv-reports/bin/pip install dcurves hl7apy
    tools/.venv-reports/bin/python tools/reports/make_cohort_fixture.py fixtures/reports
"""
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from dcurves import dca

out = Path(sys.argv[1] if len(sys.argv) > 1 else "fixtures/reports")
d = pd.read_csv(out / "cohort_predictions.csv")
thresholds = np.round(np.arange(0.01, 1.0, 0.01), 2)
r = dca(data=d, outcome="label", modelnames=["clinical", "deep", "combined"], thresholds=thresholds)
res = {"versions": {"dcurves": version("dcurves"), "pandas": version("pandas")}, "thresholds": thresholds.tolist()}
for m in ["clinical", "deep", "combined", "all", "none"]:
    s = r[r["model"] == m].sort_values("threshold")
    res[m] = s["net_benefit"].astype(float).tolist()
(out / "cohort_ref_dcurves.json").write_text(json.dumps(res, indent=1))
print("wrote", out / "cohort_ref_dcurves.json")
