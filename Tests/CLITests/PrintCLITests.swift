import Foundation
import Testing
import TestSupport

// Maps that print, read back by independent readers: the PDF by pdfminer.six (Scripts/print/pdf_text.py: page
// sizes and the size of every glyph as drawn), the PNG's own header. The RZZ names come from the data package's
// rzz.csv, the sheet sizes from ISO 216 (A4 297 × 210 mm, A3 420 × 297 mm; 72 pt an inch).

private func points(mm: Double) -> Double { mm / 25.4 * 72 }

/// What pdfminer reads in a PDF.
private struct PDFText: Decodable {
    struct Page: Decodable { var width: Double; var height: Double }
    struct Line: Decodable { var text: String; var size: Double }
    var pages: [Page]
    var min_size: Double?
    var chars: Int
    var lines: [Line]
}

private func readPDF(_ file: URL) throws -> PDFText {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", TestData.repository.appendingPathComponent("Scripts/print/pdf_text.py").path, file.path]
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    try #require(p.terminationStatus == 0, "pdf_text.py (needs pdfminer.six from PyPI): \(String(decoding: e, as: UTF8.self))")
    return try JSONDecoder().decode(PDFText.self, from: data)
}

/// The RZZ names of the data package's rzz.csv (column `rzz_name`, found by name).
private func rzzNames() throws -> Set<String> {
    let text = try String(contentsOf: RealData.directory.appendingPathComponent("rzz.csv"), encoding: .utf8)
    let rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let column = try #require(rows.first?.firstIndex(of: "rzz_name"))
    return Set(rows.dropFirst().map { $0[column] })
}

/// A PNG's width and height (its IHDR chunk).
private func pngSize(_ file: URL) throws -> (Int, Int) {
    let d = [UInt8](try Data(contentsOf: file).prefix(24))
    try #require(d.count == 24 && d[0 ..< 8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] && String(decoding: d[12 ..< 16], as: UTF8.self) == "IHDR")
    func be(_ i: Int) -> Int { d[i ..< i + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (be(16), be(20))
}

/// The map summary `render --summary` prints as JSON on standard error.
private struct Summary: Decodable { var dropped_labels: [String]; var width: Double; var height: Double }

private func summary(_ stderr: String) throws -> Summary {
    let start = try #require(stderr.firstIndex(of: "{")), end = try #require(stderr.lastIndex(of: "}"))
    return try JSONDecoder().decode(Summary.self, from: Data(stderr[start ... end].utf8))
}

@Suite(.serialized) struct PrintCLITests {
    let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("zz-print-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }()

    @Test func theOfficialMapOnA4IsOnePageWithNoTextUnder7ptNamingEveryRZZ() throws {
        let file = dir.appendingPathComponent("official.pdf")
        let r = try zorgzones(["render", "--map", "official", "--format", "pdf", "--paper", "A4", "--out", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        let pdf = try readPDF(file)
        #expect(pdf.pages.count == 1)
        let page = try #require(pdf.pages.first)
        #expect(abs(page.width - points(mm: 297)) < 0.5 && abs(page.height - points(mm: 210)) < 0.5, "\(page)")
        #expect(pdf.chars > 500)
        let smallest = try #require(pdf.min_size)
        #expect(smallest >= 7 - 0.01, "smallest text \(smallest) pt")
        // Every RZZ named (a name may be set on two lines: compared without white space).
        let text = pdf.lines.map(\.text).joined().filter { !$0.isWhitespace }
        let names = try rzzNames()
        #expect(names.count == 14)
        for name in names {
            #expect(text.contains(name.filter { !$0.isWhitespace }), "the PDF does not name RZZ \(name)")
        }
    }

    @Test func aPNGAt300DPIIsTheSheetInPixels() throws {
        let file = dir.appendingPathComponent("official.png")
        let r = try zorgzones(["render", "--map", "official", "--out", file.path, "--dpi", "300", "--portrait"])
        #expect(r.status == 0, "\(r.stderr)")
        let (w, h) = try pngSize(file)
        #expect(w == Int((points(mm: 210) * 300 / 72).rounded()) && h == Int((points(mm: 297) * 300 / 72).rounded()), "\(w)×\(h)")
        #expect(r.stderr.contains("smallest text 7.0 pt") || r.stdout.contains("smallest text"), "\(r.stdout)\(r.stderr)")
    }

    @Test(arguments: [("official", "A4", false), ("hospitals", "A4", false), ("ggz", "A4", false), ("rules", "A4", true), ("rules", "A3", false)])
    func noMapDropsOrCutsALabelOnScreenOrOnPaper(map: String, paper: String, portrait: Bool) throws {
        let svg = dir.appendingPathComponent("\(map).svg")
        let screen = try zorgzones(["render", "--map", map, "--out", svg.path, "--summary"])
        #expect(screen.status == 0, "\(screen.stderr)")
        #expect(try summary(screen.stderr).dropped_labels.isEmpty, "\(screen.stderr)")
        #expect(!(try String(contentsOf: svg, encoding: .utf8)).contains("…"), "a text cut short with an ellipsis")
        let pdf = dir.appendingPathComponent("\(map)-\(paper).pdf")
        let printed = try zorgzones(["render", "--map", map, "--out", pdf.path, "--paper", paper, "--summary"] + (portrait ? ["--portrait"] : []))
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(try summary(printed.stderr).dropped_labels.isEmpty, "\(printed.stderr)")
        let read = try readPDF(pdf)
        #expect(read.pages.count == 1 && (read.min_size ?? 0) >= 7 - 0.01, "\(read.pages) \(read.min_size ?? 0)")
    }

    @Test func aMapThatCannotKeep7ptOnTheSheetIsAUsageErrorNamingTheSheet() throws {
        let r = try zorgzones(["render", "--map", "rules", "--format", "pdf", "--paper", "A4", "--out", dir.appendingPathComponent("x.pdf").path])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("A4 landscape") && r.stderr.contains("7 pt"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.pdf").path))
        let w = try zorgzones(["render", "--map", "official", "--format", "pdf", "--width", "900"])
        #expect(w.status == 64 && w.stderr.contains("--width"), "\(w.stderr)")
        let d = try zorgzones(["render", "--map", "official", "--format", "png", "--dpi", "40"])
        #expect(d.status == 64 && d.stderr.contains("--dpi"), "\(d.stderr)")
    }
}
