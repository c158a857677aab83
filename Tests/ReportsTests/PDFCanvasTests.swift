import Foundation
import Testing
@testable import Reports

/// The drawing layer: text never leaves its box, bytes are reproducible, metadata is set.
@Suite struct PDFCanvasTests {
    func canvas() throws -> PDFCanvas {
        try PDFCanvas(width: 300, height: 300, metadata: PDFMetadata(title: "Test title", author: "Test author", subject: "Test subject"))
    }

    @Test func wrappedTextStaysInItsBox() throws {
        let c = try canvas()
        let texts = [
            "A short line.",
            "A much longer sentence that must wrap over several lines because the box is narrow, with a Supercalifragilisticexpialidocious word.",
            String(repeating: "W", count: 200),
            "乳腺癌 HER2 状态预测：本结果仅供参考，不能替代病理（免疫组化／原位杂交）检查。",
            "line one\nline two\n\nline four after an empty one",
        ]
        var boxes = [Rect]()
        for (i, s) in texts.enumerated() {
            for (w, h) in [(60.0, 20.0), (120.0, 60.0), (200.0, 200.0), (15.0, 8.0)] {
                let box = Rect(x: 10 + Double(i), y: 10, width: w, height: h)
                c.textBox(s, in: box, TextStyle(size: 10))
                c.fitText(s, in: box, TextStyle(size: 10))
                boxes.append(box)
            }
        }
        #expect(!c.textLog.isEmpty)
        for entry in c.textLog {
            let box = try #require(entry.box)
            #expect(box.contains(entry.drawn, tolerance: 0.01), "\"\(entry.text)\" drawn at \(entry.drawn) outside \(box)")
        }
        // Nothing is silently lost when the box is big enough: all words appear.
        let big = try canvas()
        big.textBox(texts[1], in: Rect(x: 0, y: 0, width: 150, height: 250), TextStyle(size: 10))
        let joined = big.textLog.map { $0.text }.joined(separator: " ")
        for word in texts[1].split(separator: " ") where word.count < 15 { #expect(joined.contains(word)) }
    }

    @Test func wrapBreaksAtSpacesAndCJK() throws {
        let c = try canvas()
        let w = max(c.measure("alpha beta", TextStyle(size: 10)), c.measure("gamma delta", TextStyle(size: 10))) + 0.1
        #expect(c.measure("alpha beta gamma", TextStyle(size: 10)) > w)
        let lines = c.wrap("alpha beta gamma delta", width: w, TextStyle(size: 10))
        #expect(lines == ["alpha beta", "gamma delta"])
        let cjk = c.wrap("乳腺癌病理检查", width: c.measure("乳腺癌", TextStyle(size: 10)) + 0.1, TextStyle(size: 10))
        #expect(cjk == ["乳腺癌", "病理检", "查"])
    }

    @Test func reproducibleAndCarriesMetadata() throws {
        func make() throws -> Data {
            let c = try canvas()
            c.textBox("Reproducible", in: Rect(x: 10, y: 10, width: 200, height: 40), TextStyle(size: 12))
            c.line(from: Point(0, 0), to: Point(100, 100), style: StrokeStyle(color: .black))
            return try c.finish()
        }
        let a = try make(), b = try make()
        #expect(a == b, "two renders differ")
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.5"))
        #expect(text.contains("(Test title)") && text.contains("(Test author)") && text.contains("(Test subject)"))
        #expect(text.contains("/CreationDate (20000101000000Z)"))
        #expect(text.contains("/FontFile"), "fonts are embedded")
    }

    @Test func niceTicksAndLabels() {
        let a = ChartAxis.nice(0.03, 0.87, title: "x")
        #expect(zip(a.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1.0]).allSatisfy { abs($0 - $1) < 1e-12 } && a.ticks.count == 6)
        #expect(a.labels() == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ChartAxis.format([0, 50, 100]) == ["0", "50", "100"])
        #expect(ChartAxis.format([-0.05, 0, 0.05]) == ["-0.05", "0.00", "0.05"])
        let r = DecisionCurveChart.yRange(prevalence: 0.408)
        #expect(r.lo < 0 && r.hi >= 0.408 * 1.1)
    }
}
