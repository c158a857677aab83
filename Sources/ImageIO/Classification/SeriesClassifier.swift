import Foundation

/// Decides which series of one breast MRI study is T1 (pre-contrast), T2 and DCE, and orders
/// the DCE phases in time, from header facts and the editable `SeriesClassificationRules`.
///
/// Order of decisions (the rules file says the same to a site):
/// 1. `overrides` (from study.json's "sequences") decide first.
/// 2. Derived series (subtractions, MIPs, reformats), localizers (several orientations) and
///    non-anatomical series (DWI, maps, calibration) are left out.
/// 3. DCE candidates: Siemens Sequence Name (fl3d, fl3_we), GE pulse sequence (0019,109C:
///    efgre3d, 3dfgre), description words (dyn, vibrant, thrive, …), or a short-TR gradient echo
///    with several temporal positions or a contrast agent. Candidates are grouped by matrix,
///    spacing, orientation and fat suppression; the group with the most phases is the DCE.
///    A series in it whose TR differs from the group's is the pre-contrast T1, not a phase.
///    Phases are ordered by Content Time, else Trigger Time, else temporal position.
/// 4. T2: long TR and TE, or a T2 description word; with several, the choice is explained.
/// 5. T1: a short-TR, short-TE series without contrast, acquired before the DCE; when there is
///    none, the DCE's pre-contrast phase stands in (said in a warning).
/// After SlicerBreast_DCEMRI_FTV (its DCE detection rules) and the DICOM MR module attributes.
public struct SeriesClassifier: Sendable {
    public var rules: SeriesClassificationRules
    /// Series Instance UID → "T1" | "T2" | "DCE" (study.json's "sequences").
    public var overrides: [String: String]

    public init(rules: SeriesClassificationRules = .standard, overrides: [String: String] = [:]) {
        self.rules = rules
        self.overrides = overrides
    }

    /// Reads every DICOM series under `directory` and classifies them.
    public func classify(directory: URL) throws -> StudyClassification {
        try classify(try DICOMReader.scan(directory: directory), location: directory.path)
    }

    /// Reads the headers of every series a directory scan found and classifies them.
    public func classify(_ scan: DICOMDirectoryScan, location: String) throws -> StudyClassification {
        var headers: [SeriesHeader] = []
        for (uid, files) in scan.series.sorted(by: { $0.key < $1.key }) {
            headers.append(try SeriesHeader(seriesInstanceUID: uid, files: files))
        }
        return try classify(headers, location: location)
    }

    /// Classifies the series of one study; `location` names the study in errors.
    public func classify(_ series: [SeriesHeader], location: String) throws -> StudyClassification {
        func fail(_ why: String) -> ImageIOError { .unclassifiable(directory: location, reason: why) }
        var result = StudyClassification()
        for h in series { result.headers[h.seriesInstanceUID] = h }
        guard !series.isEmpty else { throw fail("no DICOM series found") }
        let studies = Set(series.compactMap(\.studyInstanceUID))
        if studies.count > 1 {
            // Name each study by its patient and the folders of its series, so the stray series is found.
            let root = URL(fileURLWithPath: location).standardizedFileURL.path
            func folder(_ h: SeriesHeader) -> String {
                let parent = h.files[0].deletingLastPathComponent().standardizedFileURL.path
                if parent == root { return "./" }
                return parent.hasPrefix(root + "/") ? String(parent.dropFirst(root.count + 1)) + "/" : parent + "/"
            }
            let parts = studies.sorted().map { uid in
                let members = series.filter { $0.studyInstanceUID == uid }
                let patients = Set(members.compactMap(\.patientID)).sorted()
                let who = patients.isEmpty ? "" : " (patient \(patients.joined(separator: ", ")))"
                return "study \(uid)\(who): \(Set(members.map(folder)).sorted().joined(separator: ", "))"
            }
            let many = Set(series.compactMap(\.patientID)).count > 1 ? " of different patients" : ""
            throw fail("the files belong to \(studies.count) studies\(many) — \(parts.joined(separator: "; ")); put each study in its own folder")
        }

        // 1. Overrides.
        var open = series
        for (uid, role) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let h = series.first(where: { $0.seriesInstanceUID == uid }) else {
                throw fail("study.json names series \(uid) as \(role), but no such series is in the folder")
            }
            switch role.uppercased() {
            case "T1": result.t1 = uid
            case "T2": result.t2 = uid
            case "DCE": result.dce += phases(of: h)
            default: throw fail("study.json gives series \(uid) the role '\(role)'; use T1, T2 or DCE")
            }
            result.reasons[uid] = "\(role.uppercased()) as study.json says"
            open.removeAll { $0.seriesInstanceUID == uid }
        }

        // 2. Leave out what is not an anatomical acquisition.
        open = open.filter { h in
            if let why = dropReason(h) { result.reasons[h.seriesInstanceUID] = why; return false }
            return true
        }

        // 3. DCE.
        if result.dce.isEmpty {
            let candidates = open.filter(isDCECandidate)
            guard !candidates.isEmpty else {
                let seen = series.map { "\"\($0.description)\"" }.joined(separator: ", ")
                throw fail("no DCE series among \(series.count) series (\(seen)); potential fix: name it in study.json \"sequences\" or edit the rules in templates/")
            }
            let groups = Dictionary(grouping: candidates, by: geometryKey)
            let best = groups.values.max { a, b in
                let pa = a.reduce(0) { $0 + $1.temporalPositions.count }, pb = b.reduce(0) { $0 + $1.temporalPositions.count }
                return pa != pb ? pa < pb : a.count < b.count
            }!
            for h in candidates where !best.contains(h) {
                result.reasons[h.seriesInstanceUID] = "DCE-like, but its matrix, spacing, orientation or fat suppression differs from the DCE group's"
            }
            // A series whose TR differs from the group's is the pre-contrast T1.
            // The group's TR is that of most of its phases (a lone pre-contrast T1 is outvoted).
            let trs = best.flatMap { h in h.repetitionTime.map { Array(repeating: $0, count: h.temporalPositions.count) } ?? [] }.sorted()
            let typicalTR = trs.isEmpty ? nil : trs[trs.count / 2]
            var phaseSeries: [SeriesHeader] = []
            for h in best {
                if let tr = h.repetitionTime, let typical = typicalTR, abs(tr - typical) > rules.dce.repetitionTimeTolerance * typical,
                   result.t1 == nil {
                    result.t1 = h.seriesInstanceUID
                    result.reasons[h.seriesInstanceUID] = String(format: "pre-contrast T1: in the DCE group, but its TR %.4g ms differs from the group's %.4g ms", tr, typical)
                } else {
                    phaseSeries.append(h)
                }
            }
            result.dce = phaseSeries.flatMap(phases(of:))
            for h in phaseSeries {
                result.reasons[h.seriesInstanceUID] = "DCE: \(dceEvidence(h)); \(h.temporalPositions.count) phase(s); phases ordered by "
                    + (result.dce.allSatisfy { $0.time != nil } ? "Content Time" : "Trigger Time / temporal position")
            }
            open.removeAll { h in best.contains(h) }
        }
        result.dce = inTimeOrder(result.dce, headers: result.headers)
        guard result.dce.count >= 2 else {
            let uid = result.dce.first?.seriesInstanceUID ?? "?"
            throw fail("the DCE (\(result.headers[uid].map { "\"\($0.description)\"" } ?? uid)) holds \(result.dce.count) phase; a DCE needs a pre-contrast and at least one post-contrast phase")
        }
        let dceStart = result.dce.compactMap(\.time).min()

        // 4. T2.
        if result.t2 == nil {
            let candidates = open.filter(isT2Candidate)
            if let chosen = candidates.max(by: { t2Preference($0) < t2Preference($1) }) {
                result.t2 = chosen.seriesInstanceUID
                result.reasons[chosen.seriesInstanceUID] = "T2: " + t2Evidence(chosen)
                if candidates.count > 1 {
                    let others = candidates.filter { $0 != chosen }
                    for o in others { result.reasons[o.seriesInstanceUID] = "another T2 candidate (\(t2Evidence(o))); not chosen" }
                    result.warnings.append("\(candidates.count) candidate T2 series: chose \"\(chosen.description)\" (\(chosen.seriesInstanceUID)) over "
                        + others.map { "\"\($0.description)\"" }.joined(separator: ", ")
                        + " because it is " + (chosen.fatSuppressed && !others.allSatisfy(\.fatSuppressed) ? "fat-suppressed and " : "")
                        + "the one with the most slices (then the latest acquired); override with study.json \"sequences\"")
                }
                open.removeAll { candidates.contains($0) }
            } else {
                result.warnings.append("no T2 series found")
            }
        }

        // 5. T1.
        if result.t1 == nil {
            let candidates = open.filter { isT1Candidate($0, before: dceStart) }
            if let chosen = candidates.min(by: { ($0.temporalPositions.first?.time ?? 0) < ($1.temporalPositions.first?.time ?? 0) }) {
                result.t1 = chosen.seriesInstanceUID
                result.reasons[chosen.seriesInstanceUID] = String(format: "T1: TR %.4g ms, TE %.4g ms, no contrast agent", chosen.repetitionTime ?? .nan, chosen.echoTime ?? .nan)
                    + (candidates.count > 1 ? ", the earliest of \(candidates.count) T1-like series" : "")
                open.removeAll { $0 == chosen }
            } else {
                result.warnings.append("no separate pre-contrast T1 series: the DCE's first (pre-contrast) phase stands in")
            }
        }
        for h in open where result.reasons[h.seriesInstanceUID] == nil {
            result.reasons[h.seriesInstanceUID] = String(format: "matches no rule (TR %.4g ms, TE %.4g ms)", h.repetitionTime ?? .nan, h.echoTime ?? .nan)
        }
        return result
    }

    // MARK: rules

    func dropReason(_ h: SeriesHeader) -> String? {
        if h.mixedOrientation { return "slices of several orientations (a localizer or tri-planar pilot)" }
        if let word = h.imageType.first(where: { rules.drop.imageTypeWords.contains($0) }) {
            return "derived image (Image Type \(h.imageType.joined(separator: "\\")): \(word))"
        }
        if let word = matching(h.descriptionWords, rules.drop.descriptionWords) {
            return "Series Description \"\(h.description)\" has the word '\(word)' (derived or non-anatomical)"
        }
        return nil
    }

    func isDCECandidate(_ h: SeriesHeader) -> Bool {
        dceEvidence(h) != "timing"
            || (h.isGradientEcho && (h.repetitionTime ?? .infinity) <= rules.dce.maxRepetitionTimeMs
                && (h.echoTime ?? .infinity) <= rules.dce.maxEchoTimeMs
                && (h.temporalPositions.count > 1 || (h.declaredTemporalPositions ?? 1) > 1 || h.contrastAgent != nil))
    }

    /// The strongest reason a series looks like DCE; "timing" when only its TR/TE could say so.
    func dceEvidence(_ h: SeriesHeader) -> String {
        let seq = h.sequenceName.lowercased()
        if let m = rules.dce.siemensSequenceNames.first(where: { seq.contains($0) }), h.imageType.first != "DERIVED" {
            return "Siemens Sequence Name \(h.sequenceName) (\(m))"
        }
        let ge = h.gePulseSequence.lowercased()
        if let m = rules.dce.gePulseSequences.first(where: { ge.contains($0) }) { return "GE pulse sequence \(h.gePulseSequence) (\(m))" }
        if (h.declaredTemporalPositions ?? 1) > 1 { return "Number of Temporal Positions \(h.declaredTemporalPositions!)" }
        if let w = matching(h.descriptionWords, rules.dce.descriptionWords) { return "Series Description word '\(w)'" }
        return "timing"
    }

    func isT2Candidate(_ h: SeriesHeader) -> Bool {
        let tr = h.repetitionTime ?? 0, te = h.echoTime ?? 0
        if tr >= rules.t2.minRepetitionTimeMs && te >= rules.t2.minEchoTimeMs { return true }
        return matching(h.descriptionWords, rules.t2.descriptionWords) != nil && tr >= 1000
    }

    func t2Evidence(_ h: SeriesHeader) -> String {
        String(format: "TR %.4g ms, TE %.4g ms", h.repetitionTime ?? .nan, h.echoTime ?? .nan)
            + (h.fatSuppressed ? ", fat-suppressed" : "") + ", \(h.files.count) slices"
    }

    /// Larger is preferred: fat suppression, then slices, then later acquisition.
    func t2Preference(_ h: SeriesHeader) -> (Int, Int, Double) {
        (h.fatSuppressed ? 1 : 0, h.files.count, h.temporalPositions.first?.time ?? 0)
    }

    func isT1Candidate(_ h: SeriesHeader, before dceStart: Double?) -> Bool {
        guard h.contrastAgent == nil,
              (h.repetitionTime ?? .infinity) <= rules.t1.maxRepetitionTimeMs,
              (h.echoTime ?? .infinity) <= rules.t1.maxEchoTimeMs else { return false }
        if let start = dceStart, let t = h.temporalPositions.first?.time, t > start { return false }
        return true
    }

    /// Phases ordered by Content Time, else Trigger Time, else series number and temporal position.
    func inTimeOrder(_ phases: [StudyClassification.Phase], headers: [String: SeriesHeader]) -> [StudyClassification.Phase] {
        func trigger(_ p: StudyClassification.Phase) -> Double {
            headers[p.seriesInstanceUID]?.temporalPositions.first { $0.identifier == p.temporalPosition }?.triggerTime ?? 0
        }
        return phases.sorted { a, b in
            if let x = a.time, let y = b.time, x != y { return x < y }
            if trigger(a) != trigger(b) { return trigger(a) < trigger(b) }
            return (headers[a.seriesInstanceUID]?.seriesNumber ?? 0, a.temporalPosition)
                < (headers[b.seriesInstanceUID]?.seriesNumber ?? 0, b.temporalPosition)
        }
    }

    func phases(of h: SeriesHeader) -> [StudyClassification.Phase] {
        h.temporalPositions.map { .init(seriesInstanceUID: h.seriesInstanceUID, temporalPosition: $0.identifier, time: $0.time) }
    }

    /// Groups DCE candidates: matrix, spacing (0.01 mm), orientation (0.01) and fat suppression.
    func geometryKey(_ h: SeriesHeader) -> String {
        let r = { (x: Double) in String(format: "%.2f", x) }
        return "\(h.rows)x\(h.columns) \(h.pixelSpacing.map(r)) \(h.orientation.map(r)) fs=\(h.fatSuppressed)"
    }

    /// The first word that starts with one of `keys`.
    func matching(_ words: [String], _ keys: [String]) -> String? {
        words.first { w in keys.contains { w.hasPrefix($0) } }
    }
}

extension SeriesHeader {
    /// Scanning Sequence includes GR (gradient recalled), or the name says a gradient echo.
    var isGradientEcho: Bool {
        scanningSequence.contains("GR") || sequenceName.lowercased().contains("fl") || gePulseSequence.lowercased().contains("gre")
    }
}
