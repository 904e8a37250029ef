import Foundation
import Testing
import Printing

// The printing room on small drawings whose sizes are known: ISO 216 sheets, a PDF of one page of that size, a PNG
// of the sheet at the resolution asked, and librsvg's refusals passed on as errors.

private func points(mm: Double) -> Double { mm / 25.4 * 72 }

private let drawing = Array("""
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">
<rect width="400" height="200" fill="#a9cbea"/><text x="20" y="100" font-size="12" font-family="DejaVu Sans">Regio Gent</text>
<text x="20" y="150" style="font-size: 7.5px">klein</text></svg>
""".utf8)

@Suite struct PrintingTests {
    @Test func sheetsAreISO216InPoints() {
        let a4 = Paper(size: .a4), a3p = Paper(size: .a3, landscape: false)
        #expect(abs(a4.widthPt - points(mm: 297)) < 1e-9 && abs(a4.heightPt - points(mm: 210)) < 1e-9)
        #expect(abs(a3p.widthPt - points(mm: 297)) < 1e-9 && abs(a3p.heightPt - points(mm: 420)) < 1e-9)
        #expect(abs(a4.printableWidth - points(mm: 277)) < 1e-9)
        // A 400 × 200 drawing on A4 landscape is width-bound: 277 mm over 400 px.
        #expect(abs(a4.scale(width: 400, height: 200) - points(mm: 277) / 400) < 1e-9)
    }

    @Test func aPDFIsOnePageOfTheSheet() throws {
        let pdf = try PrintedMap.pdf(drawing, paper: Paper(size: .a4), title: "Proef")
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-"))
        #expect(text.contains("/Count 1"))
        // cairo writes the MediaBox in points, rounded to two decimals at most.
        let box = try #require(text.range(of: #"/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]"#, options: .regularExpression))
        let numbers = text[box].split(whereSeparator: { " []".contains($0) }).compactMap { Double($0) }
        #expect(numbers.count == 4)
        #expect(abs(numbers[2] - points(mm: 297)) < 0.5 && abs(numbers[3] - points(mm: 210)) < 0.5, "\(numbers)")
    }

    @Test(arguments: [72.0, 150, 300])
    func aPNGIsTheSheetAtItsResolution(dpi: Double) throws {
        let png = try PrintedMap.png(drawing, paper: Paper(size: .a4, landscape: false), dpi: dpi)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func be(_ i: Int) -> Int { png[i ..< i + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(be(16) == Int((points(mm: 210) * dpi / 72).rounded()))
        #expect(be(20) == Int((points(mm: 297) * dpi / 72).rounded()))
    }

    @Test func theSmallestTextIsFoundInAttributesAndStyles() throws {
        #expect(smallestFontSize(ofSVG: String(decoding: drawing, as: UTF8.self)) == 7.5)
        #expect(smallestFontSize(ofSVG: "<svg/>") == nil)
        let size = try PrintedMap.size(of: drawing)
        #expect(size.width == 400 && size.height == 200)
    }

    @Test func whatLibrsvgCannotReadIsAnError() {
        #expect(throws: PrintError.self) { try PrintedMap.pdf(Array("<svg".utf8), paper: Paper(size: .a4)) }
        #expect(throws: PrintError.self) { try PrintedMap.png(Array("not svg".utf8), paper: Paper(size: .a4), dpi: 72) }
    }
}
