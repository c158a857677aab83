import Foundation
import Testing
@testable import HER2Model

@Suite struct FeatureTableTests {
    @Test func writtenTableReadsBackExactly() throws {
        let t = try FakeFeatureTable.make(studies: 20, seed: 3)
        let back = try FeatureTable(csv: t.csv(), path: "t.csv")
        #expect(back == t)
        #expect(t.csv().hasPrefix("studyId,reader,her2,centre,age,lymphNodeInvolvement,microcalcifications,tumourSizeMm,kineticType,peritumoralEdema,fake.informative.f0,"))
    }

    @Test func quotedStudyIdsAndUnlabelledRows() throws {
        let row = FeatureTable.Row(studyId: "a,\"b\"", reader: 1, her2: nil, centre: "C", age: 50, lymphNodeInvolvement: true,
                                   microcalcifications: false, tumourSizeMm: 21.5, kineticType: 3, peritumoralEdema: true, features: [0.1, -2e-7])
        let t = try FeatureTable(featureNames: ["x.a", "x.b"], rows: [row])
        #expect(try FeatureTable(csv: t.csv()) == t)
    }

    /// Each fault names the line and the column.
    @Test(arguments: [
        ("S1,1,1,A,50,1,0,20,4,0,1.5", "t.csv:2, column \"kineticType\": \"4\" is not 1, 2 or 3"),
        ("S1,1,yes,A,50,1,0,20,2,0,1.5", "t.csv:2, column \"her2\": \"yes\" is not 1 or 0"),
        ("S1,3,1,A,50,1,0,20,2,0,1.5", "t.csv:2, column \"reader\": \"3\" is not 1 or 2"),
        ("S1,1,1,A,50,1,0,20,2,0,abc", "t.csv:2, column \"f.x\": \"abc\" is not a finite number"),
        ("S1,1,1,A,fifty,1,0,20,2,0,1", "t.csv:2, column \"age\": \"fifty\" is not a finite number"),
        ("S1,1,1,A,50,1,0,20,2,0", "t.csv:2: expected 11 cells, found 10"),
        ("S1,1,1,A,50,1,0,20,2,0,nan", "t.csv:2, column \"f.x\": \"nan\" is not a finite number"),
    ])
    func badCellsNameLineAndColumn(line: String, message: String) {
        let header = FeatureTable.fixedColumns.joined(separator: ",") + ",f.x"
        #expect { try FeatureTable(csv: header + "\n" + line + "\n", path: "t.csv") } throws: { "\($0)" == message }
    }

    @Test func badHeaderAndDuplicates() {
        #expect { try FeatureTable(csv: "id,reader\nS1,1\n", path: "t.csv") } throws: {
            "\($0)".hasPrefix("t.csv:1: the header must start with studyId,reader,her2")
        }
        let header = FeatureTable.fixedColumns.joined(separator: ",") + ",f.x"
        let row = "S1,1,1,A,50,1,0,20,2,0,1"
        #expect { try FeatureTable(csv: [header, row, row].joined(separator: "\n"), path: "t.csv") } throws: {
            "\($0)" == "t.csv:3, column \"studyId\": study S1 appears twice for reader 1"
        }
        #expect { try FeatureTable(csv: header + "\n", path: "t.csv") } throws: { "\($0)".contains("no data rows") }
        // A radiomics column may hold nan (an undefined pyradiomics value), a deep one may not.
        let both = FeatureTable.fixedColumns.joined(separator: ",") + ",f.x,radiomics.t1.original_glcm_Imc2"
        let read = try? FeatureTable(csv: both + "\nS1,1,1,A,50,1,0,20,2,0,1,nan\n", path: "t.csv")
        #expect(read?.rows.first?.features.last?.isNaN == true)
        #expect { try FeatureTable.read(path: "/nonexistent/t.csv") } throws: { "\($0)" == "/nonexistent/t.csv:0: no such file" }
    }
}
