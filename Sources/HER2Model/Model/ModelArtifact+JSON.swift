import Foundation
import Support

extension ModelArtifact {
    /// The model as ordered JSON (keys in declaration order, preprocessing keys sorted).
    public func jsonValue() -> JSONValue {
        func n(_ v: Double) -> JSONValue { .number(v) }
        func auc(_ a: AUC) -> JSONValue { .object([("auc", n(a.auc)), ("ci95", .numbers(a.ci95))]) }
        func split(_ s: SplitMetrics) -> JSONValue {
            .object([("n", .integer(s.n)), ("positives", .integer(s.positives)),
                     ("models", .object([("clinical", auc(s.models.clinical)), ("deep", auc(s.models.deep)),
                                         ("combined", auc(s.models.combined))])),
                     ("delongCombinedVsClinical", .object([("z", n(s.delongCombinedVsClinical.z)),
                                                           ("p", n(s.delongCombinedVsClinical.p))]))])
        }
        func logistic(_ m: Logistic) -> JSONValue {
            .object([("predictors", .array(m.predictors.map { .string($0) })),
                     ("coefficients", .array(m.coefficients.map {
                         .object([("name", .string($0.name)), ("estimate", n($0.estimate)), ("standardError", n($0.standardError))])
                     })),
                     ("covariance", .array(m.covariance.map { .numbers($0) }))])
        }
        let t = trainedOn
        return .object([
            ("schemaVersion", .string(schemaVersion)),
            ("contentHash", .string(contentHash)),
            ("createdAt", .string(createdAt)),
            ("demonstrationModel", .bool(demonstrationModel)),
            ("trainedOn", .object([
                ("studies", .integer(t.studies)), ("centres", .array(t.centres.map { .string($0) })),
                ("positives", .integer(t.positives)), ("negatives", .integer(t.negatives)),
                ("validationCentre", t.validationCentre.map { .string($0) } ?? .null),
                ("validationStudies", .integer(t.validationStudies)),
                ("featureSource", .string(t.featureSource)), ("inputHash", .string(t.inputHash)),
            ])),
            ("preprocessing", .object(preprocessing.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("backbones", .array(backbones.map { .object([("name", .string($0.name)), ("weights", .string($0.weights))]) })),
            ("featureSelection", featureSelection.jsonValue()),
            ("radScore", radScore.jsonValue()),
            ("models", .object([("clinical", logistic(models.clinical)), ("deep", logistic(models.deep)),
                                ("combined", logistic(models.combined))])),
            ("nomogram", .object([
                ("scale", n(nomogram.scale)), ("linearPredictorAtZero", n(nomogram.linearPredictorAtZero)),
                ("axes", .array(nomogram.axes.map {
                    .object([("name", .string($0.name)), ("values", .numbers($0.values)), ("points", .numbers($0.points)),
                             ("pointsPerUnit", n($0.pointsPerUnit)), ("minimumEffect", n($0.minimumEffect))])
                })),
                ("totalPointsTicks", .numbers(nomogram.totalPointsTicks)),
                ("probabilityTicks", .array(nomogram.probabilityTicks.map {
                    .object([("probability", n($0.probability)), ("points", n($0.points))])
                })),
            ])),
            ("threshold", .object([("probability", n(threshold.probability)), ("rule", .string(threshold.rule)),
                                   ("sensitivity", n(threshold.sensitivity)), ("specificity", n(threshold.specificity))])),
            ("metrics", .object([("training", split(metrics.training)),
                                 ("validation", metrics.validation.map(split) ?? .null)])),
        ])
    }

    /// `sha256:` + SHA-256 of the compact JSON with `createdAt` and `contentHash` blanked.
    public func computedHash() -> String {
        var blank = self
        blank.createdAt = ""
        blank.contentHash = ""
        return "sha256:" + SHA256.hex(Data(blank.jsonValue().serialized().utf8))
    }

    /// This model with its content hash filled in.
    public func sealed() -> ModelArtifact {
        var m = self
        m.contentHash = computedHash()
        return m
    }

    /// The file's text: indented JSON, keys in order, final newline.
    public func fileText() -> String { jsonValue().prettyPrinted() }

    /// Reads model.json and checks it before anything else is read: the schema version first,
    /// then the structure, then the content hash (a hand edit is refused), then the shapes.
    public static func read(path: String) throws -> ModelArtifact {
        func refuse(_ why: String) -> HER2ModelError { .invalidModel(path: path, reason: why) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw refuse("cannot read the model file (missing or unreadable)")
        }
        return try decode(data, path: path)
    }

    /// Parses and verifies model.json bytes (see `read(path:)`).
    public static func decode(_ data: Data, path: String) throws -> ModelArtifact {
        func refuse(_ why: String) -> HER2ModelError { .invalidModel(path: path, reason: why) }
        struct Header: Decodable { let schemaVersion: String? }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data) } catch {
            throw refuse("not a JSON object (\(ModelArtifact.describe(error))); potential fix: give the model.json written by `her2mri train`")
        }
        guard let version = header.schemaVersion else {
            throw refuse("no \"schemaVersion\": not a her2mri model")
        }
        guard version == currentSchemaVersion else {
            throw refuse("schema version \"\(version)\" is not the one this her2mri reads (\"\(currentSchemaVersion)\"); potential fix: retrain the model with this version")
        }
        let model: ModelArtifact
        do { model = try JSONDecoder().decode(ModelArtifact.self, from: data) } catch {
            throw refuse("malformed model: \(ModelArtifact.describe(error))")
        }
        let computed = model.computedHash()
        guard computed == model.contentHash else {
            throw refuse("content hash mismatch (stored \(model.contentHash), computed \(computed)): the file was changed after training; potential fix: retrain — never edit model.json by hand")
        }
        try model.checkShapes(path: path)
        return model
    }

    /// Consistency of dimensions (a model written by a faulty tool, with a matching hash).
    func checkShapes(path: String) throws {
        func refuse(_ why: String) -> HER2ModelError { .invalidModel(path: path, reason: why) }
        for (name, m) in [("clinical", models.clinical), ("deep", models.deep), ("combined", models.combined)] {
            let k = m.predictors.count + 1
            guard m.coefficients.count == k, m.covariance.count == k, m.covariance.allSatisfy({ $0.count == k }) else {
                throw refuse("models.\(name): \(m.predictors.count) predictors need \(k) coefficients and a \(k)×\(k) covariance")
            }
        }
        guard models.combined.predictors == [ClinicalPredictors.radScore] + ClinicalPredictors.names else {
            throw refuse("models.combined: predictors must be \(([ClinicalPredictors.radScore] + ClinicalPredictors.names).joined(separator: ", "))")
        }
        guard nomogram.axes.map(\.name) == models.combined.predictors, nomogram.scale > 0 else {
            throw refuse("nomogram: one axis per combined-model predictor, in order, and a positive scale")
        }
        guard !radScore.features.isEmpty, radScore.features.allSatisfy({ $0.sd > 0 }) else {
            throw refuse("radScore: needs at least one feature, each with a positive sd")
        }
        guard threshold.probability > 0, threshold.probability < 1 else {
            throw refuse("threshold: probability must lie in (0, 1)")
        }
    }

    /// A decoding error as "at key.path: what".
    static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error as? DecodingError {
        case let .keyNotFound(key, ctx)?: return "missing key \"\(key.stringValue)\" at \(path(ctx.codingPath).isEmpty ? "top level" : path(ctx.codingPath))"
        case let .typeMismatch(_, ctx)?: return "wrong type at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        case let .valueNotFound(_, ctx)?: return "null or missing value at \(path(ctx.codingPath))"
        case let .dataCorrupted(ctx)?: return "corrupted data at \(path(ctx.codingPath).isEmpty ? "top level" : path(ctx.codingPath)): \(ctx.debugDescription)"
        default: return "\(error)"
        }
    }
}

extension ModelArtifact.FeatureSelection {
    /// As model.json writes it (training_summary.json repeats it for the radiomics score).
    public func jsonValue() -> JSONValue {
        .object([
            ("iccForm", .string(iccForm)), ("iccThreshold", .number(iccThreshold)), ("iccStudies", .integer(iccStudies)),
            ("featuresIn", .integer(featuresIn)), ("featuresAfterICC", .integer(featuresAfterICC)),
            ("folds", .integer(folds)), ("seed", .string(seed)), ("lambdaRule", .string(lambdaRule)),
            ("lambda", .number(lambda)), ("lambdaMin", .number(lambdaMin)), ("lambda1se", .number(lambda1se)),
            ("diagnostics", .array(diagnostics.map { .string($0) })),
        ])
    }
}

extension ModelArtifact.RadScore {
    /// `{"intercept", "features": [{"name","mean","sd","coefficient"}]}`, as model.json writes it.
    public func jsonValue() -> JSONValue {
        .object([
            ("intercept", .number(intercept)),
            ("features", .array(features.map {
                .object([("name", .string($0.name)), ("mean", .number($0.mean)), ("sd", .number($0.sd)),
                         ("coefficient", .number($0.coefficient))])
            })),
        ])
    }
}
