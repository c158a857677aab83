import DropFolder
import Foundation
import Support
import Testing

/// The drop-folder soak of issue 12, with the real binary and the real `predict`: studies are
/// dropped while two `her2mri watch` processes (2 workers each) share one inbox; a fifth of the
/// drops are malformed in different ways; a worker is killed with SIGKILL in the middle and the
/// second watcher is killed (with its workers) and restarted. Afterwards: every good study has
/// exactly one set of outputs, every bad one is in failed/ with a reason, archive/ + failed/ hold
/// every dropped file byte-identical, the ledger agrees with the folders, outputs are 0640 and
/// the JSON logs name no patient. A few good studies are dropped twice at the same moment (a
/// "twin" under another folder name, at the end when the workers are free, so the two are
/// usually in hand at once): one of the two is reported, the other ends `duplicate`.
///
/// Size: `HER2MRI_SOAK_STUDIES` (default 200, the issue's size; `tools/dropfolder/soak.sh` runs
/// 1,000) and `HER2MRI_SOAK_KILL_EVERY` (reported studies between worker kills; default: half).
@Suite(.serialized) struct WatchSoakTests {
    @Test func studiesDroppedWhileTwoWatchersRunAreEachHandledOnce() async throws {
        let fixture = try WatchFixture.made.get()
        let environment = ProcessInfo.processInfo.environment
        let count = max(20, Int(environment["HER2MRI_SOAK_STUDIES"] ?? "") ?? 200)
        let root = Binary.temporaryFolder("soak")
        defer { try? FileManager.default.removeItem(at: root) }
        let site = try SoakSite(root: root)
        let plan = try SoakPlan(count: count, fixture: fixture, site: site)
        let goodCount = plan.drops.filter { $0.kind == .good }.count
        let killEvery = max(1, Int(environment["HER2MRI_SOAK_KILL_EVERY"] ?? "") ?? goodCount / 2)
        print("soak: \(plan.drops.count) drops (\(goodCount) good, \(plan.drops.filter { $0.kind == .duplicate }.count) duplicates, "
              + "\(plan.drops.filter { $0.kind == .twin }.count) twins dropped with their originals, "
              + "\(plan.drops.filter { $0.kind.isBad }.count) malformed); predict took \(String(format: "%.1f", fixture.predictSeconds)) s for one study")

        let started = Date()
        let a = try site.startWatcher("a", model: fixture.model)
        var b: Process?
        var bRuns = 0
        var workerKills = 0, watcherKilledHoldingClaims = false
        var nextKill = killEvery
        var killedB = false
        let deadline = Date().addingTimeInterval(Double(goodCount) * max(fixture.predictSeconds, 1) * 3 + 600)
        var dropped = 0
        // Last, once everything before is done: the duplicates (their originals reported), and each
        // twin with its original at the same moment, while every worker is free to take them.
        let twins = plan.drops.filter { $0.kind == .twin }
        let twinOriginals = Set(twins.compactMap(\.original))
        let lastWave = plan.drops.filter { twinOriginals.contains($0.name ?? "") } + twins + plan.drops.filter { $0.kind == .duplicate }
        let firstWave = plan.drops.filter { $0.kind != .duplicate && $0.kind != .twin && !twinOriginals.contains($0.name ?? "") }
        defer {
            for p in [a, b].compactMap({ $0 }) where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }

        while Date() < deadline {
            // Drop a few at a time while the watchers run; the second watcher joins after a tenth.
            for drop in firstWave.dropFirst(dropped).prefix(3) { try site.drop(drop) }
            dropped = min(firstWave.count, dropped + 3)
            if b == nil && dropped >= firstWave.count / 10 {
                bRuns += 1
                b = try site.startWatcher("b\(bRuns)", model: fixture.model)
            }
            let reported = site.names(site.outbox).count
            // A worker of watcher a killed with SIGKILL: the study is retried, not lost.
            if reported >= nextKill, let child = SoakSite.children(of: a.processIdentifier).first(where: { SoakSite.isPredict($0) }) {
                kill(child, SIGKILL)
                workerKills += 1
                nextKill += killEvery
            }
            // Watcher b and its workers die (a host losing power); a new b takes its claims back.
            if !killedB, reported >= goodCount * 6 / 10, let running = b {
                let children = SoakSite.children(of: running.processIdentifier)
                watcherKilledHoldingClaims = !site.names(site.work.appendingPathComponent("processing")).isEmpty && !children.isEmpty
                kill(running.processIdentifier, SIGKILL)
                for c in children { kill(c, SIGKILL) }
                running.waitUntilExit()
                killedB = true
                bRuns += 1
                b = try site.startWatcher("b\(bRuns)", model: fixture.model)
            }
            if dropped == firstWave.count && site.names(site.inbox).isEmpty
                && site.names(site.work.appendingPathComponent("processing")).isEmpty {
                if lastWave.allSatisfy({ site.dropped.contains($0.rawName) }) { break }
                for d in lastWave { try site.drop(d) }
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(Date() < deadline, "the soak did not finish in time")

        // SIGTERM and SIGINT: both watchers exit 0.
        kill(a.processIdentifier, SIGTERM)
        if let b { kill(b.processIdentifier, SIGINT) }
        a.waitUntilExit()
        b?.waitUntilExit()
        #expect(a.terminationReason == .exit && a.terminationStatus == 0)
        #expect(b?.terminationReason == .exit && b?.terminationStatus == 0)
        print("soak: \(plan.drops.count) drops handled in \(String(format: "%.0f", seconds)) s with 2 watchers × 2 workers "
              + "(\(String(format: "%.1f", seconds / Double(plan.drops.count))) s per drop); \(workerKills) worker(s) killed; "
              + "watcher b killed holding claims: \(watcherKilledHoldingClaims)")

        try SoakCheck(site: site, plan: plan).run()
        let allLogs = try site.names(site.root).filter { $0.hasSuffix(".log") }
            .map { try String(contentsOf: site.root.appendingPathComponent($0), encoding: .utf8) }.joined()
        print("soak: a twin was claimed while its original was in hand (and waited): \(allLogs.contains("in hand under another claim"))")
        #expect(workerKills >= 1, "no worker was running when a kill was due")
        let logA = try String(contentsOf: site.log("a"), encoding: .utf8)
        #expect(logA.contains("transient failure, retrying"), "watcher a never retried the study whose worker was killed")
        if watcherKilledHoldingClaims {
            let logs = try ["a", "b\(bRuns)"].map { try String(contentsOf: site.log($0), encoding: .utf8) }.joined()
            #expect(logs.contains("stale claim taken back"), "no watcher took back the dead one's claims")
        }
    }
}

/// The folders of one soak and the watcher processes on them.
struct SoakSite {
    let root: URL
    var inbox: URL { root.appendingPathComponent("inbox") }
    var outbox: URL { root.appendingPathComponent("outbox") }
    var work: URL { root.appendingPathComponent("work") }
    /// Where each drop is prepared before its one rename into the inbox.
    var staged: URL { root.appendingPathComponent("staged") }
    var outside: URL { root.appendingPathComponent("outside") }
    /// Raw inbox names dropped so far.
    let droppedBox = Locked(Set<[UInt8]>())
    var dropped: Set<[UInt8]> { droppedBox.get() }

    init(root: URL) throws {
        self.root = root
        for f in [inbox, outbox, work, staged, outside] {
            try FileManager.default.createDirectory(at: f, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        }
        try "not a study\n".write(to: outside.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
    }

    func log(_ name: String) -> URL { root.appendingPathComponent("watch-\(name).log") }

    /// `her2mri watch` with 2 workers, JSON log lines to watch-<name>.log.
    func startWatcher(_ name: String, model: URL, extra: [String] = []) throws -> Process {
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["watch", "--inbox", inbox.path, "--outbox", outbox.path, "--work", work.path, "--model", model.path,
                       "--workers", "2", "--settle", "1", "--log", log(name).path] + extra
        FileManager.default.createFile(atPath: root.appendingPathComponent("watch-\(name).err").path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: root.appendingPathComponent("watch-\(name).err"))
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// One rename of the prepared item into the inbox under its (possibly unsafe) raw name.
    func drop(_ d: SoakPlan.Drop) throws {
        let target = Array(inbox.path.utf8) + [UInt8(ascii: "/")] + d.rawName + [0]
        let ok = target.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: target.count) { rename(d.staged.path, $0) == 0 }
        }
        guard ok else { throw WatchFixture.Failure("cannot drop \(d.staged.path): \(String(cString: strerror(errno)))") }
        droppedBox.update { $0.insert(d.rawName) }
    }

    func names(_ folder: URL, hidden: Bool = false) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { hidden || !$0.hasPrefix(".") }.sorted()
    }

    /// Processes whose parent is `pid` (from /proc).
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == pid
        }
    }

    static func isPredict(_ pid: Int32) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "predict" }
    }
}

/// What the soak drops: good studies (the fixture's images under new patients), duplicates of
/// some of them, and malformed ones of every kind, each prepared in `staged/` with its
/// fingerprint (every file's relative path and SHA-256) taken before the drop.
struct SoakPlan {
    enum Kind: String, CaseIterable {
        /// `duplicate`: a good study's images again once it is reported; `twin`: dropped at the
        /// same moment as its original.
        case good, duplicate, twin
        case noDCE, truncatedNIfTI, truncatedDICOM, garbageImage, clinicalWrongType, maskOnAnotherGrid, emptyFolder,
             symlinkInside, symlinkStudy, newlineName, nonUTF8Name, dotDotName, plainFile
        var isBad: Bool { ![.good, .duplicate, .twin].contains(self) }
        /// Refused by name or kind before any claim: moved to failed/unsafe-<hash>.
        var isUnsafe: Bool { [.symlinkStudy, .newlineName, .nonUTF8Name, .dotDotName, .plainFile].contains(self) }
        static var bad: [Kind] { allCases.filter(\.isBad) }
    }

    struct Drop {
        let kind: Kind
        let staged: URL
        let rawName: [UInt8]
        /// Patient ID and name (Family^Given) the study carries, for the log grep.
        let patientID: String
        let patientName: String
        /// The good study a duplicate or twin copies (its folder name).
        var original: String?
        var fingerprint = ""
        var name: String? { String(validating: rawName, as: UTF8.self) }
    }

    var drops: [Drop] = []

    init(count: Int, fixture: WatchFixture.Made, site: SoakSite) throws {
        let fm = FileManager.default
        let badCount = max(count / 5, Kind.bad.count)
        let duplicateCount = max(1, count / 50)
        var kinds: [Kind] = (0..<badCount).map { Kind.bad[$0 % Kind.bad.count] }
        kinds += Array(repeating: .good, count: max(1, count - badCount - duplicateCount))
        // Interleave: malformed studies arrive among the good ones.
        kinds = kinds.enumerated().sorted { ($0.offset * 7919) % kinds.count < ($1.offset * 7919) % kinds.count }.map(\.element)
        // The DICOM study keeps its own patient (study.json must agree with the headers).
        let dicomJSON = try Self.readJSON(fixture.dicomStudy.appendingPathComponent("study.json"))
        let dicomPatient = dicomJSON["patient"] as? [String: Any] ?? [:]
        var goods: [Drop] = []
        for (i, kind) in kinds.enumerated() {
            let letters = Self.letters(i)
            var id = "PT\(letters.uppercased())\(i)Q", name = "Quill\(letters)^Ada\(letters)"
            let base = fixture.studies[i % fixture.studies.count]
            let staged = site.staged.appendingPathComponent("d\(i)")
            let safeName = "Quill\(letters)_\(id)"
            var raw = Array(safeName.utf8)
            func copyBase() throws {
                try fm.copyItem(at: fixture.cohort.appendingPathComponent(base), to: staged)
                try Self.setPatient(staged.appendingPathComponent("study.json"), id: id, name: name, accession: "ACC\(letters.uppercased())\(i)")
            }
            switch kind {
            case .good, .duplicate, .twin:
                try copyBase()
            case .noDCE:
                try copyBase()
                try fm.removeItem(at: staged.appendingPathComponent("dce.nii.gz"))
            case .truncatedNIfTI:
                try copyBase()
                try Self.truncate(staged.appendingPathComponent("dce.nii.gz"), keeping: 0.5)
            case .garbageImage:
                try copyBase()
                var g = SystemRandomNumberGenerator()
                try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }).write(to: staged.appendingPathComponent("t2.nii.gz"))
            case .clinicalWrongType:
                try copyBase()
                let file = staged.appendingPathComponent("study.json")
                var json = try Self.readJSON(file)
                var clinical = json["clinical"] as? [String: Any] ?? [:]
                clinical["age"] = "fifty-eight"
                json["clinical"] = clinical
                try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: file)
            case .maskOnAnotherGrid:
                try copyBase()
                let other = fixture.studies.first { fixture.centres[$0] != fixture.centres[base] }!
                try fm.removeItem(at: staged.appendingPathComponent("tumor_mask.nii.gz"))
                try fm.copyItem(at: fixture.cohort.appendingPathComponent("\(other)/tumor_mask.nii.gz"),
                                to: staged.appendingPathComponent("tumor_mask.nii.gz"))
            case .truncatedDICOM:
                try fm.copyItem(at: fixture.dicomStudy, to: staged)
                id = dicomPatient["id"] as? String ?? id
                name = dicomPatient["name"] as? String ?? name
                let dce = staged.appendingPathComponent("DCE")
                let files = try fm.contentsOfDirectory(atPath: dce.path).sorted()
                try Self.truncate(dce.appendingPathComponent(files[i % files.count]), keeping: 0.3 + 0.01 * Double(i % 10))
                raw = Array("Dicom\(letters)_\(i)".utf8)
            case .emptyFolder:
                try fm.createDirectory(at: staged, withIntermediateDirectories: true)
            case .symlinkInside:
                try copyBase()
                try fm.removeItem(at: staged.appendingPathComponent("t2.nii.gz"))
                try fm.createSymbolicLink(at: staged.appendingPathComponent("t2.nii.gz"),
                                          withDestinationURL: site.outside.appendingPathComponent("secret.txt"))
            case .symlinkStudy:
                try fm.createSymbolicLink(at: staged, withDestinationURL: site.outside)
            case .newlineName:
                try copyBase()
                raw = Array("Quill\(letters)\n\(id)".utf8)
            case .nonUTF8Name:
                try copyBase()
                raw = Array("Quill\(letters)_".utf8) + [0xFF, 0xFE] + Array(id.utf8)
            case .dotDotName:
                try copyBase()
                raw = Array("Quill\(letters)..\(id)".utf8)
            case .plainFile:
                try "patient \(name) \(id)\n".write(to: staged, atomically: true, encoding: .utf8)
                raw = Array("notes_\(id).txt".utf8)
            }
            if kind != .emptyFolder && kind != .symlinkStudy && kind != .plainFile && i % 6 != 5 {
                fm.createFile(atPath: staged.appendingPathComponent("READY").path, contents: nil)
            }
            var drop = Drop(kind: kind, staged: staged, rawName: raw, patientID: id, patientName: name)
            drop.fingerprint = try Fingerprint.of(staged)
            if kind == .good { goods.append(drop) }
            drops.append(drop)
        }
        /// A good study's images again (its copy with the same study.json: the same content)
        /// under another folder name.
        func copy(of original: Drop, as kind: Kind, staged stagedName: String, prefix: String) throws -> Drop {
            let staged = site.staged.appendingPathComponent(stagedName)
            try fm.copyItem(at: original.staged, to: staged)
            var drop = Drop(kind: kind, staged: staged, rawName: Array("\(prefix)_\(original.name!)".utf8),
                            patientID: original.patientID, patientName: original.patientName, original: original.name)
            drop.fingerprint = try Fingerprint.of(staged)
            return drop
        }
        // Duplicates: dropped once their originals are reported.
        for (j, original) in goods.prefix(duplicateCount).enumerated() {
            drops.append(try copy(of: original, as: .duplicate, staged: "dup\(j)", prefix: "again"))
        }
        // Twins: dropped at the same moment as the original (not one the duplicates copy).
        let twinCount = max(1, count / 100)
        let pool = Array(goods.dropFirst(duplicateCount))
        for j in 1...twinCount {
            drops.append(try copy(of: pool[j * pool.count / (twinCount + 1)], as: .twin, staged: "twin\(j)", prefix: "twin"))
        }
    }

    static func letters(_ i: Int) -> String {
        let a = Array("abcdefghijklmnopqrstuvwxyz")
        return String([a[(i / 676) % 26], a[(i / 26) % 26], a[i % 26]])
    }

    static func readJSON(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    static func setPatient(_ file: URL, id: String, name: String, accession: String) throws {
        var json = try readJSON(file)
        var patient = json["patient"] as? [String: Any] ?? [:]
        patient["id"] = id
        patient["name"] = name
        json["patient"] = patient
        var study = json["study"] as? [String: Any] ?? [:]
        study["accessionNumber"] = accession
        json["study"] = study
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: file)
    }

    static func truncate(_ file: URL, keeping fraction: Double) throws {
        let data = try Data(contentsOf: file)
        try data.prefix(Int(Double(data.count) * fraction)).write(to: file)
    }
}

/// Every file under an entry, symbolic links not followed: "relative-path sha256" lines.
enum Fingerprint {
    static func of(_ url: URL, skippingTopLevel skip: Set<String> = []) throws -> String {
        var lines: [String] = []
        func walk(_ u: URL, _ prefix: String) throws {
            let type = try FileManager.default.attributesOfItem(atPath: u.path)[.type] as? FileAttributeType
            if type == .typeSymbolicLink {
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: u.path)
                lines.append("\(prefix) -> \(target)")
            } else if type == .typeDirectory {
                lines.append("\(prefix)/")
                for name in try FileManager.default.contentsOfDirectory(atPath: u.path).sorted()
                where !(prefix.isEmpty && skip.contains(name)) {
                    try walk(u.appendingPathComponent(name), prefix + "/" + name)
                }
            } else {
                let data = try Data(contentsOf: u)
                lines.append("\(prefix) \(SoakCheck.sha256(data))")
            }
        }
        try walk(url, "")
        return lines.joined(separator: "\n")
    }
}

/// The soak's verdict, from the folders, the ledger and the logs.
struct SoakCheck {
    let site: SoakSite
    let plan: SoakPlan

    static func sha256(_ data: Data) -> String { Support.SHA256.hex(data) }

    func run() throws {
        let fm = FileManager.default
        let goods = plan.drops.filter { $0.kind == .good }
        let goodNames = Set(goods.map { $0.name! })
        let duplicateNames = Set(plan.drops.filter { $0.kind == .duplicate }.map { $0.name! })
        let twinOf = Dictionary(uniqueKeysWithValues: plan.drops.filter { $0.kind == .twin }.map { ($0.original!, $0.name!) })
        let twinNames = Set(twinOf.values)
        let claimedBad = plan.drops.filter { $0.kind.isBad && !$0.kind.isUnsafe }
        let unsafe = plan.drops.filter { $0.kind.isUnsafe }
        let work = site.work

        // Nothing left behind.
        #expect(site.names(site.inbox, hidden: true).isEmpty)
        #expect(site.names(work.appendingPathComponent("processing"), hidden: true).isEmpty)
        #expect(site.names(work.appendingPathComponent("staging"), hidden: true).isEmpty)

        // Every good study: exactly one set of outputs (under its twin's name when the twin was
        // taken first), its own patient's, 0640 in a 0750 folder.
        let outboxNames = Set(site.names(site.outbox))
        #expect(outboxNames.count == goodNames.count && outboxNames.isSubset(of: goodNames.union(twinNames)))
        /// The twin of a pair that was not reported: recorded as a duplicate.
        var unreportedTwins = Set<String>()
        for d in goods {
            let pair = [d.name!] + (twinOf[d.name!].map { [$0] } ?? [])
            let reported = pair.filter(outboxNames.contains)
            #expect(reported.count == 1, "\(d.name!): reported as \(reported)")
            unreportedTwins.formUnion(pair.count == 2 ? pair.filter { !outboxNames.contains($0) } : [])
            let folder = site.outbox.appendingPathComponent(reported.first ?? d.name!)
            let files = Set(site.names(folder))
            #expect(files.isSuperset(of: ["report.pdf", "hl7.xml", "hl7.er7", "report.dcm"]), "\(d.name!): \(files)")
            #expect(try fm.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int == 0o750)
            for f in files {
                let mode = try fm.attributesOfItem(atPath: folder.appendingPathComponent(f).path)[.posixPermissions] as? Int
                #expect(mode == 0o640, "\(d.name!)/\(f) has mode \(String(mode ?? 0, radix: 8))")
            }
            let pdf = fm.contents(atPath: folder.appendingPathComponent("report.pdf").path) ?? Data()
            #expect(pdf.starts(with: Array("%PDF-".utf8)))
            let dcm = fm.contents(atPath: folder.appendingPathComponent("report.dcm").path) ?? Data()
            #expect(dcm.count > 132 && dcm[128..<132].elementsEqual(Array("DICM".utf8)))
            let er7 = (try? String(contentsOf: folder.appendingPathComponent("hl7.er7"), encoding: .utf8)) ?? ""
            #expect(er7.hasPrefix("MSH|") && er7.contains(d.patientID), "\(d.name!): the HL7 message is not this patient's")
        }
        #expect(Set(site.names(work.appendingPathComponent("archive"))) == goodNames.union(duplicateNames).union(twinNames))

        // Every bad one in failed/ with a reason.
        let failed = work.appendingPathComponent("failed")
        let failedNames = site.names(failed)
        var reasons: [SoakPlan.Kind: String] = [:]
        for d in claimedBad {
            let text = (try? String(contentsOf: failed.appendingPathComponent("\(d.name!)/error.txt"), encoding: .utf8)) ?? ""
            let reason = text.components(separatedBy: "Reason:\n").dropFirst().first?
                .split(separator: "\n").first.map(String.init) ?? ""
            #expect(!reason.isEmpty, "\(d.kind) \(d.name!): no reason in failed/\(d.name!)/error.txt")
            reasons[d.kind] = reason
        }
        let unsafeEntries = failedNames.filter { $0.hasPrefix("unsafe-") && !$0.hasSuffix(".error.txt") }
        #expect(unsafeEntries.count == unsafe.count)
        for e in unsafeEntries {
            let beside = failed.appendingPathComponent(e + ".error.txt"), inside = failed.appendingPathComponent(e + "/error.txt")
            #expect(fm.fileExists(atPath: beside.path) || fm.fileExists(atPath: inside.path), "\(e): no error text")
        }
        #expect(Set(failedNames.filter { !$0.hasSuffix(".error.txt") })
                == Set(claimedBad.map { $0.name! }).union(unsafeEntries))
        for kind in SoakPlan.Kind.bad where !kind.isUnsafe { print("soak: \(kind.rawValue) → \(reasons[kind] ?? "(not dropped)")") }

        // No input lost: archive/ and failed/ hold every dropped file byte-identical.
        var after: [String] = []
        for folder in [work.appendingPathComponent("archive"), failed] {
            for name in site.names(folder) where !name.hasSuffix(".error.txt") {
                after.append(try Fingerprint.of(folder.appendingPathComponent(name),
                                                skippingTopLevel: folder == failed ? ["error.txt"] : []))
            }
        }
        #expect(after.sorted() == plan.drops.map(\.fingerprint).sorted(), "the inputs in archive/ and failed/ differ from what was dropped")
        #expect(site.names(site.outside) == ["secret.txt"])

        // The ledger agrees with the folders.
        let rows = try Ledger(file: work.appendingPathComponent("ledger.sqlite")).entries()
        #expect(!rows.contains { $0.state == .processing })
        let reportedRows = rows.filter { $0.state == .reported }.map(\.study)
        #expect(reportedRows.count == goodNames.count && Set(reportedRows) == outboxNames)
        let duplicateRows = rows.filter { $0.state == .duplicate }.map(\.study)
        #expect(duplicateRows.count == duplicateNames.count + unreportedTwins.count
                && Set(duplicateRows) == duplicateNames.union(unreportedTwins))
        let failedRows = rows.filter { $0.state == .failed }.map(\.study)
        #expect(failedRows.count == claimedBad.count + unsafe.count)
        #expect(Set(failedRows) == Set(claimedBad.map { $0.name! }).union(unsafeEntries))
        for r in rows where r.state == .released {
            #expect(rows.contains { $0.study == r.study && ($0.state == .reported || $0.state == .failed) }, "released \(r.study) never finished")
        }

        // The JSON logs: one object per line, and no patient name or ID, nor a folder name holding them.
        let logs = try site.names(site.root).filter { $0.hasSuffix(".log") }
            .map { try String(contentsOf: site.root.appendingPathComponent($0), encoding: .utf8) }.joined()
        #expect(logs.contains("study reported"))
        for line in logs.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not a JSON line: \(line)")
        }
        for d in plan.drops {
            let parts = d.patientName.split(separator: "^").map(String.init)
            for secret in [d.patientID, d.patientName] + parts + (d.name.map { [$0] } ?? []) where secret.count >= 4 {
                #expect(!logs.contains(secret), "the log names \(secret)")
            }
        }
    }
}
