import Biostatistics

// TEMPORARY until Support's JSONValue.prettyPrinted() lands on main: compact text plus a newline.
extension JSONValue {
    func prettyPrinted() -> String { serialized() + "\n" }
}
