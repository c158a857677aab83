/// A reader for the part of YAML that pyradiomics parameter files use: nested block mappings
/// by indentation, block sequences (`- item`), flow sequences (`[1, 2, 3]`), empty flow
/// mappings (`{}`), plain and quoted scalars, `null` / `~` / empty values, and `#` comments.
/// Anchors, multi-line scalars and multiple documents are refused with the line number.
/// (Yams would parse all of YAML, but costs a C library build for these few shapes.)
enum YAMLNode: Equatable, Sendable {
    case mapping([(key: String, value: YAMLNode)])
    case sequence([YAMLNode])
    /// A scalar as written; `quoted` scalars are always strings.
    case scalar(String, quoted: Bool)
    case null

    static func == (a: YAMLNode, b: YAMLNode) -> Bool {
        switch (a, b) {
        case let (.mapping(x), .mapping(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.sequence(x), .sequence(y)): return x == y
        case let (.scalar(x, p), .scalar(y, q)): return x == y && p == q
        case (.null, .null): return true
        default: return false
        }
    }
}

/// Parse failures carry the 1-based line number.
struct YAMLSubsetError: Error, Equatable {
    let line: Int
    let message: String
}

enum YAMLSubset {
    private struct Line { let number: Int; let indent: Int; let text: String }

    static func parse(_ text: String) throws -> YAMLNode {
        var lines: [Line] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var s = String(raw)
            if s.hasSuffix("\r") { s.removeLast() }
            if s.contains("\t") && s.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                throw YAMLSubsetError(line: n + 1, message: "tabs are not allowed for indentation in YAML")
            }
            let stripped = stripComment(s)
            let content = stripped.trimmingTrailingSpaces()
            if content.trimmingLeadingSpaces().isEmpty { continue }
            if content == "---" && lines.isEmpty { continue }
            if content == "---" || content == "..." {
                throw YAMLSubsetError(line: n + 1, message: "only one YAML document is supported")
            }
            let indent = content.prefix(while: { $0 == " " }).count
            lines.append(Line(number: n + 1, indent: indent, text: String(content.dropFirst(indent))))
        }
        if lines.isEmpty { return .null }
        var position = 0
        let node = try block(&position, lines, indent: lines[0].indent)
        if position < lines.count {
            throw YAMLSubsetError(line: lines[position].number, message: "unexpected indentation")
        }
        return node
    }

    private static func block(_ p: inout Int, _ lines: [Line], indent: Int) throws -> YAMLNode {
        if lines[p].text.hasPrefix("- ") || lines[p].text == "-" {
            var items: [YAMLNode] = []
            while p < lines.count, lines[p].indent == indent, lines[p].text.hasPrefix("- ") || lines[p].text == "-" {
                let line = lines[p]
                let rest = line.text == "-" ? "" : String(line.text.dropFirst(2)).trimmingLeadingSpaces()
                p += 1
                if rest.isEmpty {
                    if p < lines.count, lines[p].indent > indent { items.append(try block(&p, lines, indent: lines[p].indent)) }
                    else { items.append(.null) }
                } else if splitKey(rest) != nil {
                    throw YAMLSubsetError(line: line.number, message: "mappings inside sequence items are not supported")
                } else {
                    items.append(try inline(rest, line: line.number))
                }
            }
            return .sequence(items)
        }
        var entries: [(key: String, value: YAMLNode)] = []
        while p < lines.count, lines[p].indent == indent {
            let line = lines[p]
            guard let (key, rest) = splitKey(line.text) else {
                throw YAMLSubsetError(line: line.number, message: "expected `key: value`, found `\(line.text)`")
            }
            if entries.contains(where: { $0.key == key }) {
                throw YAMLSubsetError(line: line.number, message: "duplicate key `\(key)`")
            }
            p += 1
            if rest.isEmpty {
                if p < lines.count, lines[p].indent > indent {
                    entries.append((key, try block(&p, lines, indent: lines[p].indent)))
                } else if p < lines.count, lines[p].indent == indent, lines[p].text.hasPrefix("- ") {
                    entries.append((key, try block(&p, lines, indent: indent)))
                } else {
                    entries.append((key, .null))
                }
            } else {
                if rest.hasPrefix("&") || rest.hasPrefix("*") || rest.hasPrefix("|") || rest.hasPrefix(">") {
                    throw YAMLSubsetError(line: line.number, message: "anchors, aliases and block scalars are not supported")
                }
                entries.append((key, try inline(rest, line: line.number)))
            }
        }
        return .mapping(entries)
    }

    /// `key: rest` → (key, rest); nil when the line is not a mapping entry.
    private static func splitKey(_ text: String) -> (String, String)? {
        var inQuote: Character? = nil
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if let q = inQuote { if c == q { inQuote = nil } }
            else if c == "\"" || c == "'" { inQuote = c }
            else if c == "[" || c == "{" { return nil }
            else if c == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " {
                    var key = String(text[..<index]).trimmingTrailingSpaces()
                    if key.count >= 2, let f = key.first, f == key.last, f == "\"" || f == "'" { key = String(key.dropFirst().dropLast()) }
                    let rest = next == text.endIndex ? "" : String(text[next...]).trimmingLeadingSpaces()
                    return (key, rest)
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func inline(_ text: String, line: Int) throws -> YAMLNode {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw YAMLSubsetError(line: line, message: "unterminated flow sequence `\(text)`") }
            let inner = text.dropFirst().dropLast().trimmingLeadingSpaces().trimmingTrailingSpaces()
            if inner.isEmpty { return .sequence([]) }
            if inner.contains("[") || inner.contains("{") {
                throw YAMLSubsetError(line: line, message: "nested flow collections are not supported")
            }
            return .sequence(try inner.split(separator: ",", omittingEmptySubsequences: false).map {
                try scalar(String($0).trimmingLeadingSpaces().trimmingTrailingSpaces(), line: line)
            })
        }
        if text.hasPrefix("{") {
            let inner = text.dropFirst().dropLast().trimmingLeadingSpaces().trimmingTrailingSpaces()
            guard text.hasSuffix("}") else { throw YAMLSubsetError(line: line, message: "unterminated flow mapping `\(text)`") }
            if inner.isEmpty { return .mapping([]) }
            var entries: [(key: String, value: YAMLNode)] = []
            for part in inner.split(separator: ",") {
                guard let (k, v) = splitKey(String(part).trimmingLeadingSpaces()) else {
                    throw YAMLSubsetError(line: line, message: "expected `key: value` in `\(text)`")
                }
                entries.append((k, v.isEmpty ? .null : try scalar(v, line: line)))
            }
            return .mapping(entries)
        }
        return try scalar(text, line: line)
    }

    private static func scalar(_ text: String, line: Int) throws -> YAMLNode {
        if text.isEmpty { return .null }
        if let f = text.first, f == "\"" || f == "'" {
            guard text.count >= 2, text.last == f else { throw YAMLSubsetError(line: line, message: "unterminated quoted string `\(text)`") }
            return .scalar(String(text.dropFirst().dropLast()), quoted: true)
        }
        if text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        return .scalar(text, quoted: false)
    }

    /// Drops a `#` comment that starts the line or follows a space, outside quotes.
    private static func stripComment(_ s: String) -> String {
        var inQuote: Character? = nil
        var previous: Character = " "
        for (offset, c) in s.enumerated() {
            if let q = inQuote { if c == q { inQuote = nil } }
            else if c == "\"" || c == "'" { inQuote = c }
            else if c == "#" && previous == " " { return String(s.prefix(offset)) }
            previous = c
        }
        return s
    }
}

extension StringProtocol {
    func trimmingLeadingSpaces() -> String { String(drop(while: { $0 == " " })) }
    func trimmingTrailingSpaces() -> String {
        var s = String(self)
        while s.last == " " { s.removeLast() }
        return s
    }
}
