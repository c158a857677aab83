extension SeriesClassificationRules {
    /// The text of `templates/series-classification.json` (kept equal by a test).
    static let standardText = #"""
{
  "about": "Rules that decide which DICOM series of a breast MRI study is T1 (pre-contrast), T2 and DCE. A site may edit a copy and pass it with --rules. Words are matched against the lower-case words of the Series Description (a word matches when it starts with the listed text). Times are in milliseconds. The order of decisions: study.json overrides; drop derived and non-volumetric series; DCE candidates (vendor markers or timing), grouped by matrix, spacing, orientation and fat suppression, the group with the most phases kept; in that group a series whose TR differs from the group's is the pre-contrast T1; phases ordered by Content Time, else Trigger Time; then T2; then T1.",
  "drop": {
    "imageTypeWords": ["DERIVED", "SECONDARY", "SUB", "SUBTRACTION", "MIP", "MPR", "PROJECTION IMAGE", "REFORMATTED", "MOCO", "ADC", "TRACEW"],
    "descriptionWords": ["sub", "mip", "mpr", "reformat", "recon", "localizer", "localiser", "loc", "scout", "survey", "3pl", "tripl", "cal", "asset", "dwi", "adc", "diff", "ep2d", "trace", "map", "ktrans", "pjn", "cad"]
  },
  "dce": {
    "siemensSequenceNames": ["fl3d", "fl3_we", "fl3d_we", "tfl3d"],
    "gePulseSequences": ["efgre3d", "3dfgre", "vibrant"],
    "descriptionWords": ["dyn", "dce", "dynamic", "vibrant", "thrive", "ethrive", "twist", "vibe", "multiphase", "mph", "post", "pre"],
    "maxRepetitionTimeMs": 15,
    "maxEchoTimeMs": 5,
    "repetitionTimeTolerance": 0.1
  },
  "t2": {
    "minRepetitionTimeMs": 1500,
    "minEchoTimeMs": 60,
    "descriptionWords": ["t2", "stir", "tirm", "tse", "fse", "haste", "ssfse"]
  },
  "t1": {
    "maxRepetitionTimeMs": 1000,
    "maxEchoTimeMs": 20,
    "descriptionWords": ["t1", "ffe", "flash", "vibe", "fl3d", "fgre"]
  }
}

"""#
}
