import CSV
import Foundation
import Zoning

/// Reading CSV (RFC 4180, through CSV.swift, with a strict quoting check of our own) into a `CSVTable`.
extension CSVTable {
    /// Parses CSV text (RFC 4180: quotes, embedded commas and newlines) with a header row.
    public init(text: String, name: String) throws {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DataError(file: name, message: "the file is empty (a CSV header row is expected)")
        }
        try Self.checkQuoting(body, name: name)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: body, hasHeaderRow: true, trimFields: true)
        } catch {
            throw DataError(file: name, location: "line 1", message: "cannot read the CSV header: \(error)")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [[String]] = []
        var lines: [Int] = []
        var line = 2
        while let row = reader.next() {
            // Skip blank lines.
            if row.count == 1 && row[0].isEmpty { line += 1; continue }
            if row.count != header.count {
                throw DataError(file: name, location: "line \(line)",
                                message: "row has \(row.count) fields, the header has \(header.count)")
            }
            rows.append(row)
            lines.append(line)
            line += 1 + row.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } }
        }
        if let error = reader.error {
            throw DataError(file: name, location: "line \(line)", message: "malformed CSV: \(error)")
        }
        self.init(name: name, header: header, rows: rows, lines: lines)
    }

    /// RFC 4180 quoting, strictly: a quote opens a field only as its first character, and closes it only before a
    /// comma, a line end or the end of the file (a doubled quote inside is a quote). CSV.swift reads a stray quote
    /// leniently, which once turned half a line of hospital campuses into a network name; here it is an error with
    /// its line.
    static func checkQuoting(_ text: String, name: String) throws {
        var line = 1
        var quotedSince: Int?   // line where the open quoted field started
        var atFieldStart = true
        var afterClosingQuote = false
        var it = text.utf8.makeIterator()
        var pending: UInt8? = nil
        func next() -> UInt8? {
            if let p = pending { pending = nil; return p }
            return it.next()
        }
        while let c = next() {
            if quotedSince != nil {
                if c == UInt8(ascii: "\"") {
                    let n = next()
                    if n == UInt8(ascii: "\"") { continue }          // a doubled quote: a quote in the field
                    quotedSince = nil                               // the field is closed
                    afterClosingQuote = true
                    if let n { pending = n }
                    continue
                }
                if c == UInt8(ascii: "\n") { line += 1 }
                continue
            }
            switch c {
            case UInt8(ascii: ","):
                atFieldStart = true; afterClosingQuote = false
            case UInt8(ascii: "\n"):
                line += 1; atFieldStart = true; afterClosingQuote = false
            case UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\""):
                if atFieldStart && !afterClosingQuote {
                    quotedSince = line
                    atFieldStart = false
                } else {
                    throw DataError(file: name, location: "line \(line)",
                                    message: "malformed CSV: a quote inside a field that does not start with one (quote the whole field and double the quote: \"\"\")")
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                continue   // blanks around a field (trimmed) neither start nor end it
            default:
                if afterClosingQuote {
                    throw DataError(file: name, location: "line \(line)",
                                    message: "malformed CSV: text after the closing quote of a quoted field (a stray or unbalanced quote)")
                }
                atFieldStart = false
            }
        }
        if let since = quotedSince {
            throw DataError(file: name, location: "line \(since)",
                            message: "malformed CSV: a quoted field that starts here is never closed (an unbalanced quote)")
        }
    }

    public init(contentsOf url: URL, name: String? = nil) throws {
        let display = name ?? url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError(file: display, message: "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError(file: display, message: "the file is not UTF-8 text")
        }
        try self.init(text: text, name: display)
    }
}

extension ZoneTable {
    /// Reads a zone table from a CSV file (`name` is how messages call it; default: the file name).
    public init(contentsOf url: URL, name: String? = nil, codeColumn: String? = nil) throws {
        try self.init(csv: CSVTable(contentsOf: url, name: name), codeColumn: codeColumn)
    }
}
