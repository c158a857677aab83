import Foundation
import Support
import DeepFeatures
import Volumes

/// The feature stage of the chain: an aligned study → its lesion, measures, patches and the
/// deep features of both readers' masks (`StudyFeatures`), plus their radiomics when the
/// `radiomics` family is asked for, through the disk cache.
///
/// Configure, then run: `Settings` are plain values; the backbones are built once (lazily, on
/// first use) and shared by every study; studies may be extracted concurrently (each backbone
/// runs one batch at a time, with `threads` oneDNN threads).
public final class FeatureExtraction: @unchecked Sendable {
    public struct Settings: Sendable {
        /// Backbones in feature-name order.
        public var backbones: [Backbone] = Backbone.allCases
        /// Folder of `<backbone>.safetensors` (torchvision / timm `state_dict()` files); nil
        /// for seeded weights. A folder given without a backbone's file is an error.
        public var weightsDirectory: URL?
        /// Feature cache folder; nil for no cache.
        public var cacheDirectory: URL?
        /// Seed of the perturbed second mask.
        public var seed: UInt64 = 20_261_201
        /// Seed of the weights when no file is given (`seeded:<seed>`).
        public var weightsSeed: UInt64 = FeatureExtractor.defaultSeed
        /// Threads for each backbone's oneDNN kernels.
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// What preprocessing was configured with (part of the study-level cache key).
        public var preprocessingParameters = ""
        public var patches = Patches.Settings()
        public var finder = LesionFinder()
        public var edema = PeritumoralEdema.Settings()
        /// Erosion / dilation (mm) and contour flip probability of the perturbed mask.
        public var perturbationShiftMm = 1.0
        public var perturbationJitter = 0.3
        /// Feature families, in name order; `deep` must be among them (the combined model rests
        /// on the deep rad-score). `radiomics` appends `RadiomicsFamily`'s names.
        public var families: [FeatureFamily] = [.deep]
        /// Settings of the radiomics family (pyradiomics' defaults on ×100 z-scores).
        public var radiomics = RadiomicsFamily.Settings()
        /// Features of the second reader's mask too (the ICC input of training). `predict` turns
        /// this off: one study needs only reader 1, which halves the backbone time. Then reader 2
        /// repeats reader 1, and the disk cache is neither read nor written (its entries always
        /// hold both readers).
        public var secondReader = true

        public init() {}
    }

    /// Version of the feature stage's method; bump it when a change alters features.
    public static let version = "features-1"

    public let settings: Settings
    private let cache: FeatureCache?
    /// The radiomics stage when the family is asked for.
    private let radiomics: RadiomicsFamily?
    private let radiomicsNames: [String]
    private let lock = NSLock()
    private var extractors: [Backbone: FeatureExtractor] = [:]
    private var backboneLocks: [Backbone: NSLock] = [:]
    private var identities: [Backbone: String] = [:]
    private var runs = 0

    /// How many times a backbone ran (cache misses), for tests and progress reports.
    public var networkRuns: Int { lock.withLock { runs } }

    /// Validates the settings (weights files present); backbones load on first use.
    public init(settings: Settings) throws {
        guard !settings.backbones.isEmpty else { throw HER2ModelError.invalidArgument("no backbone chosen") }
        guard settings.families.contains(.deep), Set(settings.families).count == settings.families.count else {
            throw HER2ModelError.invalidArgument("feature families \(settings.families.map(\.rawValue).joined(separator: ",")): give deep, or deep,radiomics (the combined model rests on the deep rad-score)")
        }
        guard Set(settings.backbones).count == settings.backbones.count else {
            throw HER2ModelError.invalidArgument("a backbone is listed twice: \(settings.backbones.map(\.rawValue))")
        }
        if let dir = settings.weightsDirectory {
            for b in settings.backbones where !FileManager.default.fileExists(atPath: FeatureExtraction.weightsFile(dir, b).path) {
                throw HER2ModelError.invalidArgument(
                    "\(FeatureExtraction.weightsFile(dir, b).path): no weights for \(b.rawValue) in the weights folder; potential fix: run tools/save_pretrained_weights.py, or leave out --weights-dir for seeded weights")
            }
        }
        self.settings = settings
        radiomics = settings.families.contains(.radiomics)
            ? RadiomicsFamily(settings: settings.radiomics, earlyPhase: settings.patches.earlyPhase) : nil
        radiomicsNames = try radiomics?.names() ?? []
        cache = settings.cacheDirectory.map(FeatureCache.init)
        for b in settings.backbones { backboneLocks[b] = NSLock() }
    }

    static func weightsFile(_ dir: URL, _ b: Backbone) -> URL { dir.appendingPathComponent("\(b.rawValue).safetensors") }

    /// The feature names for these settings, in order: the deep ones, then the radiomics ones.
    public var names: [String] { deepNames + radiomicsNames }

    /// The deep feature names (`resnet50.dce_sub.f0123`), in order.
    public var deepNames: [String] {
        settings.backbones.flatMap { b in
            Patches.Channel.allCases.flatMap { c in
                (0..<FeatureExtraction.dimension(b)).map { String(format: "%@.%@.f%04d", b.rawValue, c.rawValue, $0) }
            }
        }
    }

    /// Feature length of a backbone's default layer.
    public static func dimension(_ b: Backbone) -> Int {
        switch b {
        case .resnet50: return 2048
        case .vgg16: return 4096
        case .efficientnetB0: return 1280
        case .vitSmall: return 384
        }
    }

    /// `sha256:<hex>` of the backbone's weights file, or `seeded:<seed>` (computed once).
    public func weightsIdentity(_ b: Backbone) throws -> String {
        if let known = lock.withLock({ identities[b] }) { return known }
        let identity: String
        if let dir = settings.weightsDirectory {
            let url = FeatureExtraction.weightsFile(dir, b)
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            identity = "sha256:" + data.withUnsafeBytes { SHA256.hex($0) }
        } else {
            identity = "seeded:\(settings.weightsSeed)"
        }
        lock.withLock { identities[b] = identity }
        return identity
    }

    /// Backbone → weights hash as StudyFeatures / model.json record it (hex, or `seeded:<seed>`).
    public func weightsHashes() throws -> [String: String] {
        var out: [String: String] = [:]
        for b in settings.backbones {
            let id = try weightsIdentity(b)
            out[b.rawValue] = id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id
        }
        return out
    }

    private func extractor(_ b: Backbone) throws -> FeatureExtractor {
        if let e = lock.withLock({ extractors[b] }) { return e }
        let file = settings.weightsDirectory.map { FeatureExtraction.weightsFile($0, b).path }
        // Built outside the lock (seconds for VGG16); a rare double build is harmless.
        let e = try FeatureExtractor(backbone: b, weightsFile: file, seed: settings.weightsSeed)
        lock.withLock { if extractors[b] == nil { extractors[b] = e } }
        return lock.withLock { extractors[b]! }
    }

    // MARK: - Study level

    /// The key of a study's whole entry: its files, the preprocessing parameters, the lesion,
    /// patch and perturbation settings, the backbones and their weights.
    public func studyKey(studyFolder: URL) throws -> String {
        var parts = [FeatureExtraction.version, "input:" + (try FeatureCache.inputHash(studyFolder: studyFolder)),
                     "prep:" + settings.preprocessingParameters, "patches:" + FeatureExtraction.describe(settings.patches),
                     "finder:\(settings.finder)", "edema:\(settings.edema)",
                     "perturb:\(settings.seed):\(settings.perturbationShiftMm):\(settings.perturbationJitter)"]
        for b in settings.backbones { parts.append("\(b.rawValue):\(try weightsIdentity(b))") }
        return SHA256.hex(Array(parts.joined(separator: "\n").utf8))
    }

    /// The key of a study's radiomics entry: its files, the preprocessing parameters, the lesion
    /// and perturbation settings (which decide both masks) and the radiomics settings. It
    /// leaves out the backbones, and the deep entry's key (`studyKey`) leaves out radiomics, so
    /// a cache filled by a deep-only run answers the deep part of a deep,radiomics run (only
    /// radiomics is computed), and adding or changing backbones keeps the radiomics.
    public func radiomicsKey(studyFolder: URL) throws -> String? {
        guard let radiomics else { return nil }
        let parts = ["input:" + (try FeatureCache.inputHash(studyFolder: studyFolder)),
                     "prep:" + settings.preprocessingParameters, "finder:\(settings.finder)",
                     "perturb:\(settings.seed):\(settings.perturbationShiftMm):\(settings.perturbationJitter)",
                     "radiomics:" + radiomics.describe]
        return SHA256.hex(Array(parts.joined(separator: "\n").utf8))
    }

    /// The study's features from the cache without loading or preprocessing it, or nil (every
    /// family asked for must be there).
    public func cachedFeatures(studyFolder: URL) throws -> StudyFeatures? {
        guard let deep = try cachedDeepFeatures(studyFolder: studyFolder) else { return nil }
        guard radiomics != nil else { return deep }
        guard let r = try cachedRadiomics(studyFolder: studyFolder) else { return nil }
        return deep.appending(names: radiomicsNames, reader1: r.0, reader2: r.1)
    }

    /// Both readers' radiomics from the cache, or nil.
    func cachedRadiomics(studyFolder: URL) throws -> ([Double], [Double])? {
        guard let cache, let key = try radiomicsKey(studyFolder: studyFolder), let entry = cache.read(key: key),
              entry.vectors.count == 2, entry.vectors.allSatisfy({ $0.count == radiomicsNames.count }) else { return nil }
        return (entry.vectors[0].map(Double.init), entry.vectors[1].map(Double.init))
    }

    /// The deep part of the study's features from the cache, or nil.
    func cachedDeepFeatures(studyFolder: URL) throws -> StudyFeatures? {
        guard let cache else { return nil }
        guard let entry = cache.read(key: try studyKey(studyFolder: studyFolder)), entry.vectors.count == 2,
              let decoded = try? JSONDecoder().decode(StudyFeatures.self, from: entry.header) else { return nil }
        let names = self.deepNames
        guard entry.vectors[0].count == names.count, entry.vectors[1].count == names.count else { return nil }
        return StudyFeatures(studyId: decoded.studyId, manifest: decoded.manifest, names: names,
                                reader1: entry.vectors[0].map(Double.init), reader2: entry.vectors[1].map(Double.init),
                                measures: decoded.measures, automaticMask: decoded.automaticMask,
                             seededWeights: decoded.seededWeights, weightsHashes: decoded.weightsHashes, notes: decoded.notes)
    }

    /// Features of an aligned study (through the cache when one is set).
    public func extract(aligned: AlignedStudy) throws -> StudyFeatures {
        try extractTimed(aligned: aligned).features
    }

    /// Features and the seconds spent per stage ("lesion", "measures", "patches", one per
    /// backbone, "radiomics").
    ///
    /// With the radiomics family, a study whose deep entry is already cached (a deep-only run
    /// filled it) takes its deep part from there and computes only the masks and radiomics.
    public func extractTimed(aligned: AlignedStudy) throws -> (features: StudyFeatures, seconds: [String: Double]) {
        let made = try extractWithMask(aligned: aligned)
        return (made.features, made.seconds)
    }

    /// `extractTimed`, with reader 1's lesion mask when this run found it (nil when every part
    /// came from the cache), so the key images reuse it instead of finding the lesion again.
    func extractWithMask(aligned: AlignedStudy) throws -> (features: StudyFeatures, seconds: [String: Double], mask: Volume?) {
        var seconds: [String: Double] = [:]
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { seconds[name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            return try body()
        }
        guard let radiomics else {
            let made = try extractDeep(aligned: aligned, seconds: &seconds)
            return (made.features, seconds, made.masks.0)
        }
        let folder = aligned.study.folder
        var deep: StudyFeatures
        var masks: (Volume, Volume)?
        if let hit = try cachedDeepFeatures(studyFolder: folder) {
            deep = hit
        } else {
            let made = try extractDeep(aligned: aligned, seconds: &seconds)
            deep = made.features
            masks = made.masks
        }
        let values: ([Double], [Double])
        if let hit = try cachedRadiomics(studyFolder: folder) {
            values = hit
        } else {
            let (m1, m2) = try masks ?? timed("lesion") {
                let m = try readerMasks(aligned)
                return (m.lesion.mask, m.second)
            }
            masks = (m1, m2)
            values = try timed("radiomics") { try radiomics.extract(aligned, reader1: m1, reader2: m2) }
            if let cache, let key = try radiomicsKey(studyFolder: folder) {
                try cache.write(key: key, header: Data("{\"family\":\"radiomics\",\"version\":\"\(RadiomicsFamily.version)\"}".utf8),
                                vectors: [values.0.map(Float.init), values.1.map(Float.init)])
            }
        }
        return (deep.appending(names: radiomicsNames, reader1: values.0, reader2: values.1), seconds, masks?.0)
    }

    /// The lesion (given or automatic) and the second reader's mask (given, or the perturbed
    /// lesion), with the note a perturbed mask needs.
    func readerMasks(_ aligned: AlignedStudy) throws -> (lesion: Lesion, second: Volume, note: String?) {
        let lesion = try Lesion.of(aligned, finder: settings.finder)
        if let reader2 = try Lesion.secondReader(aligned) { return (lesion, reader2.mask, nil) }
        var perturb = PerturbedMask(seed: settings.seed)
        perturb.shiftMm = settings.perturbationShiftMm
        perturb.jitter = settings.perturbationJitter
        let (mask, change) = perturb.apply(lesion.mask, studyId: aligned.study.folder.lastPathComponent)
        return (lesion, mask, "no tumor_mask_reader2: the second mask for the ICC is the first \(change.rawValue) by \(settings.perturbationShiftMm) mm with contour jitter (seed \(settings.seed))")
    }

    /// The deep part: lesion, measures, patches and backbones (written to the cache), with both
    /// readers' masks for the radiomics.
    func extractDeep(aligned: AlignedStudy, seconds: inout [String: Double]) throws -> (features: StudyFeatures, masks: (Volume, Volume)) {
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { seconds[name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            return try body()
        }
        let studyId = aligned.study.folder.lastPathComponent
        var notes: [String] = []
        let (lesion, second, perturbation) = try timed("lesion") { () throws -> (Lesion, Volume, String?) in
            if settings.secondReader { return try readerMasks(aligned) }
            let lesion = try Lesion.of(aligned, finder: settings.finder)
            return (lesion, lesion.mask, nil)
        }
        if lesion.automatic { notes.append("tumour mask found automatically (\(lesion.source))") }
        let measures = try timed("measures") { try LesionMeasures.measure(lesion, in: aligned, edemaSettings: settings.edema) }
        if !measures.summary.overridden.isEmpty {
            notes.append("from study.json instead of the images: \(measures.summary.overridden.joined(separator: ", "))")
        }
        if let perturbation { notes.append(perturbation) }
        let (p1, p2) = try timed("patches") {
            (try Patches.make(aligned, mask: lesion.mask, settings: settings.patches),
             settings.secondReader ? try Patches.make(aligned, mask: second, settings: settings.patches) : nil)
        }
        for n in p1.notes where !notes.contains(n) { notes.append(n) }

        var reader1: [Double] = [], reader2: [Double] = []
        for b in settings.backbones {
            let (f1, f2) = try timed(b.rawValue) { try features(b, p1, p2) }
            reader1 += f1.map(Double.init)
            reader2 += f2.map(Double.init)
        }
        let hashes = try weightsHashes()
        let result = StudyFeatures(
            studyId: studyId, manifest: aligned.study.manifest, names: deepNames, reader1: reader1, reader2: reader2,
            measures: measures.summary, automaticMask: lesion.automatic,
            seededWeights: hashes.values.contains { $0.hasPrefix("seeded:") }, weightsHashes: hashes, notes: notes)
        if let cache, settings.secondReader {
            // The header leaves out names and values (the names follow from the settings).
            let header = StudyFeatures(studyId: result.studyId, manifest: result.manifest, names: [],
                                       reader1: [], reader2: [], measures: result.measures,
                                       automaticMask: result.automaticMask, seededWeights: result.seededWeights,
                                       weightsHashes: result.weightsHashes, notes: result.notes)
            try cache.write(key: try studyKey(studyFolder: aligned.study.folder), header: try JSONEncoder().encode(header),
                            vectors: [reader1.map(Float.init), reader2.map(Float.init)])
        }
        return (result, (lesion.mask, second))
    }

    /// One backbone's features for both readers' patches (reader 1's again when `p2` is nil, the
    /// second reader being off): each channel averaged over its slices.
    func features(_ b: Backbone, _ p1: Patches, _ p2: Patches?) throws -> ([Float], [Float]) {
        let identity = try weightsIdentity(b)
        let cache = p2 == nil ? nil : self.cache
        let key = FeatureExtraction.patchKey(b, identity: identity, p1, p2 ?? p1, settings: settings.patches)
        let d = FeatureExtraction.dimension(b)
        let expected = Patches.Channel.allCases.count * d
        if let hit = cache?.read(key: key), hit.vectors.count == 2, hit.vectors.allSatisfy({ $0.count == expected }) {
            return (hit.vectors[0], hit.vectors[1])
        }
        // One batch: reader 1's planes by channel and slice, then reader 2's.
        var inputs: [Float] = []
        var groups: [(reader: Int, channel: Int, count: Int)] = []
        for (r, p) in [p1, p2].enumerated() {
            guard let p else { continue }
            for (c, channel) in Patches.Channel.allCases.enumerated() {
                let planes = p.planes[channel]!
                for plane in planes {
                    inputs += try ImagePreprocessing.imageNetInput(patch: plane.values, height: plane.height, width: plane.width).storage
                }
                groups.append((r, c, planes.count))
            }
        }
        let n = groups.reduce(0) { $0 + $1.count }
        let extractor = try extractor(b)
        lock.withLock { runs += 1 }
        let out = try backboneLocks[b]!.withLock {
            try extractor.embed(nchw: Tensor(shape: [n, 3, 224, 224], storage: inputs),
                                options: InferenceOptions(threads: settings.threads))
        }
        precondition(out.shape == [n, d], "backbone \(b.rawValue) gave \(out.shape), expected [\(n), \(d)]")
        var readers = [[Float](repeating: 0, count: expected), [Float](repeating: 0, count: expected)]
        var row = 0
        for g in groups {
            for _ in 0..<g.count {
                for f in 0..<d { readers[g.reader][g.channel * d + f] += out.storage[row * d + f] / Float(g.count) }
                row += 1
            }
        }
        try cache?.write(key: key, header: Data("{\"backbone\":\"\(b.rawValue)\",\"weights\":\"\(identity)\"}".utf8), vectors: readers)
        return (readers[0], p2 == nil ? readers[0] : readers[1])
    }

    /// The key of one backbone's entry: the crops' values and the settings that map them to
    /// network inputs, the backbone and its weights.
    static func patchKey(_ b: Backbone, identity: String, _ p1: Patches, _ p2: Patches, settings: Patches.Settings) -> String {
        var bytes = Array("\(version)|\(b.rawValue)|\(b.layers[0])|\(identity)|\(describe(settings))|".utf8)
        for p in [p1, p2] {
            for c in Patches.Channel.allCases {
                for plane in p.planes[c]! {
                    withUnsafeBytes(of: Int64(plane.height)) { bytes += $0 }
                    withUnsafeBytes(of: Int64(plane.width)) { bytes += $0 }
                    plane.values.withUnsafeBytes { bytes += $0 }
                }
            }
        }
        return SHA256.hex(bytes)
    }

    static func describe(_ s: Patches.Settings) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(s), as: UTF8.self)) ?? "\(s)"
    }
}
