import Foundation

/// A zone table as read from CSV: rows of (key, zone code, zone name). The key is a block id, a municipality
/// NIS code, or the code of a zone of another zoning (rzz.csv is keyed by ELZ code).
public struct ZoneTable: Sendable {
    public struct Row: Sendable, Equatable {
        public var key: String
        public var code: String
        public var name: String
        /// Where the row is, for messages ("line 12").
        public var location: String
        /// The other columns.
        public var extra: [String: String]
    }

    public var source: String
    public var keyColumn: String
    public var rows: [Row]

    public init(source: String, keyColumn: String, rows: [Row]) {
        self.source = source
        self.keyColumn = keyColumn
        self.rows = rows
    }

    /// Key columns, in order of preference.
    public static let keyColumns = ["block_id", "nis", "nis_code", "elz_code", "id", "key"]

    /// Reads a zone table from a CSV table, by column name, never by position. The key column is the first of
    /// `keyColumns` present. The zone code column is `codeColumn` when given (the data package's tables:
    /// `elz_code`, `rr_code`, `rzz_code`), else `code`, else the one `*_code` column other than the key. The name
    /// column is `name`, or the `*_name` column with the code column's prefix; without one, a zone's name is its
    /// code. A missing column is an error naming the file and the columns it has.
    public init(csv: CSVTable, codeColumn: String? = nil) throws {
        let h = csv.header
        let columns = h.joined(separator: ", ")
        func missing(_ what: String, _ field: String) -> DataError {
            DataError(file: csv.name, location: "line 1", field: field, message: "\(what); the columns are: \(columns)")
        }
        guard let keyIdx = Self.keyColumns.compactMap({ h.firstIndex(of: $0) }).first(where: { h[$0] != codeColumn }) else {
            throw missing("no key column (one of \(Self.keyColumns.joined(separator: ", ")))", Self.keyColumns[0])
        }
        let codeIdx: Int
        if let codeColumn {
            guard let i = h.firstIndex(of: codeColumn) else { throw missing("no '\(codeColumn)' column", codeColumn) }
            codeIdx = i
        } else if let i = h.firstIndex(of: "code"), i != keyIdx {
            codeIdx = i
        } else {
            let candidates = h.indices.filter { $0 != keyIdx && h[$0].hasSuffix("_code") }
            guard candidates.count == 1 else {
                throw missing(candidates.isEmpty ? "no zone code column ('code' or one '*_code' column besides the key '\(h[keyIdx])')"
                              : "more than one zone code column (\(candidates.map { h[$0] }.joined(separator: ", "))): name one 'code'", "code")
            }
            codeIdx = candidates[0]
        }
        var nameIdx: Int?
        if h[codeIdx].hasSuffix("_code"), let i = h.firstIndex(of: String(h[codeIdx].dropLast(5)) + "_name") { nameIdx = i }
        else if let i = h.firstIndex(of: "name"), i != keyIdx { nameIdx = i }
        let keyName = h[keyIdx]
        var rows: [Row] = []
        rows.reserveCapacity(csv.rows.count)
        for (r, line) in zip(csv.rows, csv.lines) {
            let loc = "line \(line)"
            let key = r[keyIdx], code = r[codeIdx]
            if key.isEmpty {
                throw DataError(file: csv.name, location: loc, field: h[keyIdx], message: "empty key")
            }
            if code.isEmpty {
                throw DataError(file: csv.name, location: loc, field: h[codeIdx], message: "empty zone code for '\(key)'")
            }
            var extra: [String: String] = [:]
            for (i, col) in h.enumerated() where i != keyIdx && i != codeIdx && i != nameIdx { extra[col] = r[i] }
            rows.append(Row(key: key, code: code, name: nameIdx.map { r[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? code,
                            location: loc, extra: extra))
        }
        if rows.isEmpty {
            throw DataError(file: csv.name, message: "the table has a header but no rows")
        }
        self.init(source: csv.name, keyColumn: keyName, rows: rows)
    }
}

extension Zoning {
    /// Resolves a zone table against the blocks. Keys may be block ids, NIS codes (a NIS code stands for all
    /// blocks of that municipality) or, when `parents` is given and the keys are its zone codes, zones of the
    /// parent zoning (all their blocks).
    ///
    /// Reported as errors, all at once: a key that matches no block, municipality or parent zone; a key listed
    /// twice; a block in two zones; a zone code with two names; a block of an in-scope region in no zone. A
    /// region none of whose blocks is in any zone (Brussels for the referentieregio's) is out of the zoning's
    /// scope and not an error; `outOfScope` says which.
    public static func resolve(_ table: ZoneTable, name: String, blocks: [Block],
                               parents: [Zoning] = []) throws -> (zoning: Zoning, outOfScope: [String]) {
        var errors: [DataError] = []
        let blockIDs = Set(blocks.map(\.id))
        var blocksOfNIS: [String: [String]] = [:]
        for b in blocks { blocksOfNIS[b.nis, default: []].append(b.id) }

        // Which parent zoning (if any) the keys refer to: the one whose codes match the most keys.
        var parent: Zoning?
        let keys = Set(table.rows.map(\.key))
        let direct = keys.filter { blockIDs.contains($0) || blocksOfNIS[$0] != nil }.count
        var best = direct
        for p in parents {
            let codes = Set(p.zones.map(\.code))
            let n = keys.filter { codes.contains($0) }.count
            if n > best { best = n; parent = p }
        }
        var parentMembers: [String: [String]] = [:]
        if let parent { parentMembers = parent.members(in: blocks) }

        var assignment: [String: String] = [:]
        var byWhom: [String: String] = [:] // block id -> key that placed it
        var seenKeys: [String: String] = [:] // key -> location
        var zoneNames: [String: String] = [:]
        var zoneOrder: [String] = []
        var attributes: [String: [String: String]] = [:]
        var parentAssignment: [String: String] = [:]

        for row in table.rows {
            if let first = seenKeys[row.key] {
                errors.append(DataError(file: table.source, location: row.location, field: table.keyColumn,
                                        message: "duplicate key '\(row.key)' (also on \(first))"))
                continue
            }
            seenKeys[row.key] = row.location
            if let n = zoneNames[row.code] {
                if n != row.name {
                    errors.append(DataError(file: table.source, location: row.location, field: "name",
                                            message: "zone '\(row.code)' is named '\(row.name)' here but '\(n)' before"))
                }
            } else {
                zoneNames[row.code] = row.name
                zoneOrder.append(row.code)
            }
            if !row.extra.isEmpty && attributes[row.code] == nil {
                attributes[row.code] = row.extra
            }
            let targets: [String]
            if let parent {
                guard let members = parentMembers[row.key] else {
                    let known = parent.zones.contains { $0.code == row.key }
                    errors.append(DataError(file: table.source, location: row.location, field: table.keyColumn,
                                            message: known ? "\(parent.name) zone '\(row.key)' has no blocks"
                                                : "'\(row.key)' matches no \(parent.name) zone code"))
                    continue
                }
                parentAssignment[row.key] = row.code
                targets = members
            } else if blockIDs.contains(row.key) {
                targets = [row.key]
            } else if let bs = blocksOfNIS[row.key] {
                targets = bs
            } else {
                errors.append(DataError(file: table.source, location: row.location, field: table.keyColumn,
                                        message: "'\(row.key)' matches no block id or municipality NIS code"))
                continue
            }
            for t in targets {
                if let other = assignment[t], other != row.code {
                    errors.append(DataError(file: table.source, location: row.location, field: table.keyColumn,
                                            message: "block '\(t)' is in two zones: '\(other)' (via '\(byWhom[t]!)') and '\(row.code)' (via '\(row.key)')"))
                } else {
                    assignment[t] = row.code
                    byWhom[t] = row.key
                }
            }
        }
        // Parent zones not listed: their blocks are in no zone.
        if let parent {
            for z in parent.zones where parentAssignment[z.code] == nil && parentMembers[z.code] != nil {
                errors.append(DataError(file: table.source, field: table.keyColumn,
                                        message: "\(parent.name) zone '\(z.code)' (\(z.name)) is in no zone of this table"))
            }
        }
        // Scope: regions with at least one assigned block must be complete.
        var regions: [String: (assigned: Int, total: Int)] = [:]
        for b in blocks {
            var r = regions[b.region] ?? (0, 0)
            r.total += 1
            if assignment[b.id] != nil { r.assigned += 1 }
            regions[b.region] = r
        }
        let outOfScope = regions.filter { $0.value.assigned == 0 }.map(\.key).sorted()
        let unassigned = parent == nil ? blocks.filter { assignment[$0.id] == nil && !outOfScope.contains($0.region) } : []
        if unassigned.count > 10 {
            // One message for many: the table probably covers only part of its regions.
            let shown = unassigned.prefix(5).map { "'\($0.id)' (\($0.name))" }.joined(separator: ", ")
            let regions = Set(unassigned.map(\.region)).sorted().joined(separator: ", ")
            errors.append(DataError(file: table.source, field: table.keyColumn,
                                    message: "\(unassigned.count) blocks of \(regions) are in no zone, e.g. \(shown)"))
        } else {
            for b in unassigned {
                errors.append(DataError(file: table.source, field: table.keyColumn,
                                        message: "block '\(b.id)' (\(b.name)) is in no zone"))
            }
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        let zones = zoneOrder.sorted(by: naturalLess).map { ZoneRef(code: $0, name: zoneNames[$0]!) }
        let zoning = Zoning(name: name, zones: zones, assignment: assignment,
                            parentAssignment: parent == nil ? nil : parentAssignment,
                            parentName: parent?.name, attributes: attributes)
        return (zoning, outOfScope)
    }
}
