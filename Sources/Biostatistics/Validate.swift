/// Input checks shared by every estimator in the room.
enum Validate {
    /// Throws unless `values` is non-empty and all finite.
    static func finite(_ values: [Double], _ what: String) throws {
        if values.isEmpty { throw BiostatisticsError.empty(what: what) }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw BiostatisticsError.nonFinite(what: what, index: i)
        }
    }

    /// Throws unless every label is 0 or 1; returns them as Bool (true = positive, i.e. 1).
    static func binary(_ labels: [Double], _ what: String) throws -> [Bool] {
        if labels.isEmpty { throw BiostatisticsError.empty(what: what) }
        var out = [Bool]()
        out.reserveCapacity(labels.count)
        for (i, v) in labels.enumerated() {
            if v == 1 { out.append(true) } else if v == 0 { out.append(false) } else {
                throw BiostatisticsError.notBinary(what: what, index: i, value: v)
            }
        }
        return out
    }

    /// Throws unless `count` equals `expected`.
    static func length(_ count: Int, _ expected: Int, _ what: String) throws {
        if count != expected { throw BiostatisticsError.lengthMismatch(what: what, expected: expected, actual: count) }
    }

    /// Throws unless both classes are present at least `minimum` times.
    static func bothClasses(_ labels: [Bool], _ what: String, minimum: Int = 1) throws {
        let pos = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        let neg = labels.count - pos
        if pos < minimum || neg < minimum {
            throw BiostatisticsError.oneClassOnly(what: what, positives: pos, negatives: neg)
        }
    }
}
