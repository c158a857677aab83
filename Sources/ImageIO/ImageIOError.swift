/// What can go wrong reading or writing an image file. Every case names the file and the fault.
public enum ImageIOError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or written.
    case io(file: String, reason: String)
    /// The bytes end before the format says they should.
    case truncated(file: String, reason: String)
    /// Not the format we were asked to read (wrong magic, wrong header size).
    case notRecognised(file: String, reason: String)
    /// A header field holds a value the format does not allow.
    case invalidHeader(file: String, field: String, reason: String)
    /// A size that would need absurd memory; refused before allocating.
    case tooLarge(file: String, reason: String)
    /// A valid file using something this reader does not (yet) support.
    case unsupported(file: String, reason: String)
    /// A compressed stream that does not decode.
    case compression(file: String, reason: String)
    /// Files that cannot form one series (mixed orientation, uneven spacing, missing slices).
    case inconsistentSeries(directory: String, reason: String)
    /// A study whose series cannot be told apart as T1 / T2 / DCE.
    case unclassifiable(directory: String, reason: String)

    public var description: String {
        switch self {
        case let .io(f, r): return "\(f): \(r)"
        case let .truncated(f, r): return "\(f): truncated file: \(r)"
        case let .notRecognised(f, r): return "\(f): not a recognised image file: \(r)"
        case let .invalidHeader(f, field, r): return "\(f): invalid \(field): \(r)"
        case let .tooLarge(f, r): return "\(f): refused, too large: \(r)"
        case let .unsupported(f, r): return "\(f): unsupported: \(r)"
        case let .compression(f, r): return "\(f): \(r)"
        case let .inconsistentSeries(d, r): return "\(d): not one consistent series: \(r)"
        case let .unclassifiable(d, r): return "\(d): cannot tell T1 / T2 / DCE apart: \(r)"
        }
    }
}
