/// An HL7 v2 message as a tree, independent of its encoding: groups (as the v2.xml encoding
/// names them, e.g. `ORU_R01.PATIENT_RESULT`) holding segments; segments holding fields by
/// position; a field value is text (a primitive type) or a composite of a named data type
/// whose components may themselves be composites (subcomponents). ER7 flattens the groups;
/// the XML encoding keeps them.
public struct HL7Message: Sendable, Equatable {
    public indirect enum Value: Sendable, Equatable {
        /// A primitive value (ST, NM, ID, DTM …), unescaped.
        case text(String)
        /// A composite of data type `type` (CE, HD, XPN …); nil components are empty.
        case composite(type: String, components: [Value?])

        /// Builds a composite, dropping trailing empty components.
        public static func of(_ type: String, _ components: [Value?]) -> Value {
            var c = components
            while let last = c.last, last == nil || last == .text("") { c.removeLast() }
            return .composite(type: type, components: c)
        }
        /// A composite of texts (empty strings become empty components).
        public static func of(_ type: String, texts: [String]) -> Value {
            of(type, texts.map { $0.isEmpty ? nil : .text($0) })
        }
    }

    public struct Segment: Sendable, Equatable {
        public let id: String
        /// Field n at index n − 1; nil = empty. Each field may repeat (values joined by `~`).
        public var fields: [[Value]?]
        public init(_ id: String) { self.id = id; fields = [] }
        /// Sets field `n` (1-based) to one or more repetitions.
        public mutating func set(_ n: Int, _ values: Value...) {
            while fields.count < n { fields.append(nil) }
            fields[n - 1] = values.isEmpty ? nil : values
        }
        public mutating func set(_ n: Int, text: String?) {
            guard let text, !text.isEmpty else { return }
            set(n, .text(text))
        }
    }

    public indirect enum Node: Sendable, Equatable {
        case group(String, [Node])
        case segment(Segment)
    }

    /// The message structure name (root element of the XML encoding), e.g. "ORU_R01".
    public let structure: String
    public let nodes: [Node]

    public init(structure: String, nodes: [Node]) { self.structure = structure; self.nodes = nodes }

    /// All segments in order (groups flattened).
    public var segments: [Segment] {
        var out = [Segment]()
        func walk(_ n: Node) {
            switch n {
            case .segment(let s): out.append(s)
            case .group(_, let children): children.forEach(walk)
            }
        }
        nodes.forEach(walk)
        return out
    }
}
