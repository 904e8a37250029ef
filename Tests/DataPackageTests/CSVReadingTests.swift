import Foundation
import Testing
import Zoning
@testable import DataPackage

/// Reading CSV into a `CSVTable` (RFC 4180 through CSV.swift, our strict quoting check): values and line numbers
/// worked out by hand from the text.
@Suite struct CSVReadingTests {
    @Test func rowsKeepTheirLinesPastQuotedNewlinesBlankLinesAndABOM() throws {
        let text = "\u{FEFF}nis,name\n11002,\"Antwerpen\nstad\"\n\n21004, Brussel \n"
        let t = try CSVTable(text: text, name: "t.csv")
        #expect(t.header == ["nis", "name"])
        #expect(t.rows == [["11002", "Antwerpen\nstad"], ["21004", "Brussel"]])
        #expect(t.lines == [2, 5])   // the quoted newline takes line 3; line 4 is blank
    }

    @Test(arguments: [
        ("a,b\n1,x\"y\n", "line 2", "a quote inside a field"),
        ("a,b\n\"1\"x,2\n", "line 2", "text after the closing quote"),
        ("a,b\n1,2\n\"3,4\n", "line 3", "never closed"),
        ("a,b\n1,2,3\n", "line 2", "row has 3 fields, the header has 2"),
        ("", nil, "the file is empty"),
    ] as [(String, String?, String)])
    func malformedTextIsAnErrorWithItsLine(_ text: String, _ location: String?, _ message: String) {
        do {
            _ = try CSVTable(text: text, name: "bad.csv")
            Issue.record("accepted: \(text.debugDescription)")
        } catch let e as DataError {
            #expect(e.file == "bad.csv")
            #expect(e.location == location)
            #expect(e.message.contains(message), "\(e.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aMissingColumnNamesTheColumnsThere() throws {
        let t = try CSVTable(text: "block_id,population\n11002-1,1\n", name: "pop.csv")
        #expect(throws: DataError(file: "pop.csv", location: "line 1", field: "year",
                                  message: "missing column 'year' (columns are: block_id, population)")) {
            _ = try t.column("year")
        }
    }
}
