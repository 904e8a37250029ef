import Foundation

/// A problem with the input data, naming the file, the row or feature, and the field.
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    /// "line 12" for CSV, "features[3]" for GeoJSON; nil when the problem is with the whole file.
    public var location: String?
    public var field: String?
    public var message: String

    public init(file: String, location: String? = nil, field: String? = nil, message: String) {
        self.file = file
        self.location = location
        self.field = field
        self.message = message
    }

    public var description: String {
        var s = file
        if let location { s += ": " + location }
        if let field { s += ", field '\(field)'" }
        return s + ": " + message
    }
}

/// Several data errors found together (a check reports every problem, not just the first).
public struct DataErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [DataError]
    public init(_ errors: [DataError]) { self.errors = errors }
    public var description: String {
        let shown = errors.prefix(20).map { "  - \($0)" }.joined(separator: "\n")
        let more = errors.count > 20 ? "\n  … and \(errors.count - 20) more" : ""
        return "\(errors.count) data error\(errors.count == 1 ? "" : "s"):\n" + shown + more
    }
}

/// A table read into memory: a header and rows of strings, with 1-based line numbers for messages. Read from CSV
/// text by `DataPackage` (`CSVTable(text:name:)`); built directly from JSON rows by the service.
public struct CSVTable: Sendable {
    public var name: String
    public var header: [String]
    public var rows: [[String]]
    /// The line number of each row in the file (the header is line 1).
    public var lines: [Int]

    public init(name: String, header: [String], rows: [[String]], lines: [Int]) {
        self.name = name
        self.header = header
        self.rows = rows
        self.lines = lines
    }

    /// The index of a column, or an error naming the columns that are there.
    public func column(_ names: String...) throws -> Int {
        for n in names { if let i = header.firstIndex(of: n) { return i } }
        throw DataError(file: name, location: "line 1", field: names[0],
                        message: "missing column '\(names[0])' (columns are: \(header.joined(separator: ", ")))")
    }

    public func optionalColumn(_ names: String...) -> Int? {
        for n in names { if let i = header.firstIndex(of: n) { return i } }
        return nil
    }
}
