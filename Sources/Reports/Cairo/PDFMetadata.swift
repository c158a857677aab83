import Foundation

/// The document information a PDF carries: title, author, subject, creator and a fixed
/// creation date (Cairo stamps the current time unless one is given; a fixed date makes the
/// bytes reproducible).
public struct PDFMetadata: Sendable, Equatable {
    public var title: String
    public var author: String
    public var subject: String
    public var creator: String
    public var keywords: String
    /// ISO 8601 `YYYY-MM-DDThh:mm:ss` with an optional `Z` or `±hh:mm` (Cairo's format).
    public var creationDate: String

    public init(title: String, author: String, subject: String, creator: String = "her2mri",
                keywords: String = "", creationDate: String = "2000-01-01T00:00:00Z") {
        self.title = title; self.author = author; self.subject = subject
        self.creator = creator; self.keywords = keywords; self.creationDate = creationDate
    }

    /// `date` as Cairo's ISO 8601 form in UTC.
    public static func isoDate(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}
