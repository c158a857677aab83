import Foundation
import Support

extension Prediction {
    /// prediction.json with keys in the documented order:
    /// `{"studyId","patientId","probability","ci95":[lo,hi],"call","threshold","factors":[{"name","value","points"}],
    /// "totalPoints","measures":{…},"automaticMask","seededWeights","demonstrationModel"}`.
    public func jsonValue() -> JSONValue {
        let m = measures
        return .object([
            ("studyId", .string(studyId)), ("patientId", .string(patientId)), ("probability", .number(probability)),
            ("ci95", .numbers(ci95)), ("call", .string(call.rawValue)), ("threshold", .number(threshold)),
            ("factors", .array(factors.map { .object([("name", .string($0.name)), ("value", .number($0.value)), ("points", .number($0.points))]) })),
            ("totalPoints", .number(totalPoints)),
            ("measures", .object([
                ("diameterMm", .number(m.diameterMm)), ("volumeMm3", .number(m.volumeMm3)),
                ("initialEnhancement", .number(m.initialEnhancement)), ("delayedChange", .number(m.delayedChange)),
                ("kineticType", .integer(m.kineticType)), ("kineticSignals", .numbers(m.kineticSignals)),
                ("phaseMinutes", .numbers(m.phaseMinutes)), ("edemaRatio", m.edemaRatio.map { .number($0) } ?? .null),
                ("peritumoralEdema", .bool(m.peritumoralEdema)), ("overridden", .array(m.overridden.map { .string($0) })),
            ])),
            ("automaticMask", .bool(automaticMask)), ("seededWeights", .bool(seededWeights)),
            ("demonstrationModel", .bool(demonstrationModel)),
        ])
    }
}
