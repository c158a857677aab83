/// The shipped templates, compiled in so the binary works without the templates/ folder; a test
/// keeps them equal to `templates/reports/site.json` and `en.json`.
extension ReportTemplates {
    /// `templates/reports/site.json`.
    public static let standardSite = #"""
{
  "language": "en",
  "fontFamily": "DejaVu Sans",
  "cjkFontFamily": "WenQuanYi Zen Hei",
  "site": {
    "institution": "Example University Hospital",
    "department": "Department of Radiology",
    "address": "1 Hospital Road",
    "author": "her2mri"
  },
  "colours": {
    "series": ["#1f3f8f", "#b22222", "#2e7d32", "#6a1b9a"],
    "dashes": [[], [6, 3], [1.5, 2.5], [6, 2, 1.5, 2]],
    "reference": "#7f7f7f",
    "accent": "#1f3f8f",
    "lesion": "#ff2d2d",
    "demonstration": "#b22222"
  },
  "hl7": {
    "sendingApplication": "HER2MRI",
    "sendingFacility": "RADIOLOGY",
    "receivingApplication": "EHR",
    "receivingFacility": "HOSPITAL",
    "processingId": "P",
    "codingSystem": "99HER2",
    "codes": {
      "probability": ["HER2PROB", "HER2-positive probability"],
      "call": ["HER2CALL", "HER2 status predicted from MRI"],
      "factor": ["HER2FACT", "Nomogram factor"],
      "report": ["HER2PDF", "HER2 MRI report (PDF)"],
      "order": ["HER2MRI", "HER2 status prediction from breast MRI"]
    }
  }
}
"""#

    /// `templates/reports/en.json`.
    public static let standardEnglish = #"""
{
  "reportTitle": "HER2 status from breast MRI",
  "cohortRocTitle": "ROC curves",
  "cohortCalibrationTitle": "Calibration: {model}",
  "cohortDcaTitle": "Decision curves",
  "table1Title": "Baseline characteristics by HER2 status",
  "demonstration": "DEMONSTRATION MODEL — not for clinical use",
  "pathology": "This result supports and does not replace pathology: HER2 status must be confirmed by immunohistochemistry (IHC) and, where equivocal, in-situ hybridisation (ISH).",
  "patient": "Patient",
  "patientId": "Patient ID",
  "birthDate": "Birth date",
  "accession": "Accession",
  "studyDate": "Study date",
  "centre": "Centre",
  "reportTime": "Report time",
  "result": "Result",
  "probability": "HER2-positive probability",
  "ci": "95 % CI",
  "call": "Call at threshold {threshold}",
  "callPositive": "HER2-positive",
  "callNegative": "HER2-negative",
  "sentencePositive": "The MRI and clinical findings favour a HER2-positive tumour (estimated probability {probability}, above the model threshold of {threshold}).",
  "sentenceNegative": "The MRI and clinical findings favour a HER2-negative tumour (estimated probability {probability}, below the model threshold of {threshold}).",
  "nomogram": "Nomogram",
  "points": "Points",
  "totalPoints": "Total points",
  "probabilityAxis": "Probability HER2+",
  "keyImages": "Key images",
  "kineticCurve": "Kinetic curve",
  "kineticTypes": ["type I (persistent)", "type II (plateau)", "type III (washout)"],
  "minutes": "Time after contrast (min)",
  "signal": "Mean lesion signal",
  "factors": "Factors",
  "factor": "Factor",
  "value": "Value",
  "provenance": "Provenance",
  "model": "Model",
  "modelHash": "Model SHA-256",
  "trainingCohort": "Training cohort",
  "validationAUC": "Validation AUC",
  "weights": "Backbone weights",
  "seeded": "seeded (no pretrained weights supplied)",
  "pretrained": "pretrained",
  "mask": "Tumour mask",
  "maskAutomatic": "found automatically",
  "maskGiven": "given with the study",
  "page": "Page {page} of {pages}",
  "falsePositiveRate": "1 − specificity",
  "sensitivity": "Sensitivity",
  "predicted": "Predicted probability",
  "observed": "Observed proportion",
  "threshold": "Threshold probability",
  "netBenefit": "Net benefit",
  "treatAll": "Treat all",
  "treatNone": "Treat none",
  "ideal": "Ideal",
  "apparent": "Apparent",
  "biasCorrected": "Bias-corrected ({replicates} bootstrap resamples)",
  "deciles": "Risk groups (observed)",
  "youden": "Youden point"
}
"""#
}
