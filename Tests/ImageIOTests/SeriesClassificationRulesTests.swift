import Foundation
import Testing
@testable import ImageIO

@Test func templateFileIsTheBuiltInRules() throws {
    // The repository's own template, found from this file's location.
    let repoTemplate = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates/series-classification.json")
    let loaded = try SeriesClassificationRules.load(from: repoTemplate)
    #expect(loaded == SeriesClassificationRules.standard)
    #expect(try String(contentsOf: repoTemplate, encoding: .utf8) == SeriesClassificationRules.standardText)
}

@Test func brokenRulesFileIsAClearError() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(ProcessInfo.processInfo.processIdentifier).json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(#"{"drop": {"imageTypeWords": []}}"#.utf8).write(to: url)
    #expect { try SeriesClassificationRules.load(from: url) } throws: { error in
        "\(error)".contains(url.lastPathComponent) && "\(error)".contains("descriptionWords")
    }
}

@Test func fatSuppressionIsReadFromOptionsAndWords() {
    #expect(SeriesHeaderWords.fatSuppressed(description: "Ax T2 FSE FS", options: []))
    #expect(SeriesHeaderWords.fatSuppressed(description: "t2_tirm_tra", options: []))
    #expect(!SeriesHeaderWords.fatSuppressed(description: "Ax T1 non fat sat", options: []))
    #expect(!SeriesHeaderWords.fatSuppressed(description: "t1_fl3d_tra_nonfs", options: []))
    #expect(SeriesHeaderWords.fatSuppressed(description: "t1 fl3d", options: ["FS"]))
    #expect(SeriesHeaderWords.fatSuppressed(description: "Ax T1 fat sat", options: []))
}

@Test func dicomTimesBecomeSeconds() {
    let nineFortyFive: Double = 9 * 3600 + 45 * 60
    #expect(SeriesHeader.seconds("094502.5") == nineFortyFive + 2.5)
    #expect(SeriesHeader.seconds("09:45:02") == nineFortyFive + 2)
    #expect(SeriesHeader.seconds("0945") == nineFortyFive)
    #expect(SeriesHeader.seconds("") == nil && SeriesHeader.seconds("ab") == nil)
}
