import Foundation
import LinearAlgebra
import Testing
import Volumes
@testable import ImageIO

/// `DICOMConversion` (`her2mri convert`): classic and Enhanced exports of one acquisition give
/// the same voxels at the same world positions (and pydicom/numpy's expected volume); the NIfTI
/// holds what the clinical path reads; echoes, localizer planes and time series are cut as
/// dcm2niix cuts them; sidecar values in BIDS units; bad input refused with nothing partial left.
struct DICOMConversionTests {
    static func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("her2mri-convert-tests-\(ProcessInfo.processInfo.processIdentifier)")
            .appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A fresh output path (absent) beside the test folders.
    static func output(_ name: String) throws -> URL {
        let url = try folder(name)
        try FileManager.default.removeItem(at: url)
        return url
    }

    static func sidecar(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    static func niftiFiles(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".nii") || $0.hasSuffix(".nii.gz") }.sorted()
    }

    /// No hidden working folder of this output left beside it (other tests, running in
    /// parallel in the same parent, may have theirs at this moment).
    static func expectNoStaging(besides output: URL) {
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)) ?? []
        let mine = ".\(output.lastPathComponent).her2mri-convert-"
        #expect(!siblings.contains { $0.hasPrefix(mine) }, "working folder left behind: \(siblings)")
    }

    // MARK: classic vs Enhanced

    /// The Enhanced fixtures (pydicom-written from emri_small's real pixels) and their classic
    /// twins (tools/convert/classic_from_enhanced.py, one pydicom file per frame): the two NIfTI
    /// files must hold the same values on the same grid, and match the volume pydicom + numpy
    /// expect (fixtures/dicom/enhanced_reference.json: size, phases, LPS origin, spacing, sum).
    @Test(arguments: [("enhanced_dce.dcm", "classic_dce"), ("enhanced_oblique.dcm", "classic_oblique"),
                      ("enhanced_oblique_implicit.dcm", "classic_oblique"), ("enhanced_oblique_big_endian.dcm", "classic_oblique")])
    func classicAndEnhancedExportsGiveTheSameVoxelsAtTheSamePlaces(enhanced: String, classic: String) throws {
        let input = try Self.folder("enh-in-\(enhanced)")
        try FileManager.default.copyItem(at: DICOMFixtures.url(enhanced), to: input.appendingPathComponent(enhanced))
        let outE = try Self.output("enh-out-\(enhanced)"), outC = try Self.output("cls-out-\(enhanced)")
        let e = try DICOMConversion.convert(input, to: outE)
        let c = try DICOMConversion.convert(DICOMFixtures.url(classic), to: outC)
        #expect(e.complete && c.complete)
        #expect(e.outputs.count == 1 && c.outputs.count == 1)
        let a = try NIfTIReader.read(contentsOf: outE.appendingPathComponent(try #require(e.outputs.first).niftiFile)).volume
        let b = try NIfTIReader.read(contentsOf: outC.appendingPathComponent(try #require(c.outputs.first).niftiFile)).volume
        #expect(a.size == b.size && a.phases == b.phases)
        #expect(a.geometry.isClose(to: b.geometry, tolerance: 1e-9), "\(a.geometry) vs \(b.geometry)")
        #expect(a.samples == b.samples)

        let reference = try DICOMEnhancedTests.reference(enhanced)
        let volume = try #require(reference["volume"] as? [String: Any])
        #expect(volume["size"] as? [Int] == [a.size.x, a.size.y, a.size.z])
        #expect(volume["phases"] as? Int == a.phases)
        let origin = try #require(DICOMEnhancedTests.doubles(volume["origin"]))
        let spacing = try #require(DICOMEnhancedTests.doubles(volume["spacing"]))
        for i in 0..<3 {
            #expect(abs(a.geometry.origin[i] - origin[i]) <= 1e-4, "origin \(i)") // float32 sform
            #expect(abs(a.geometry.spacing[i] - spacing[i]) <= 1e-5 * spacing[i], "spacing \(i)")
        }
        let sum = a.samples.reduce(0.0) { $0 + Double($1) }
        let expected = try #require(DICOMEnhancedTests.double(volume["rescaled_sum"]))
        #expect(abs(sum - expected) <= 1e-6 * abs(expected), "sum \(sum) vs pydicom \(expected)")
    }

    // MARK: what the clinical path reads

    /// The NIfTI of a written series holds the series' stored integers with its rescale as
    /// scl_slope / scl_inter, so it reads back as exactly the volume `DICOMReader.readSeries`
    /// (StudyLoader's path) gives, on the same grid; the sidecar carries the BIDS keys in seconds.
    @Test func niftiEqualsTheClinicalPathAndSidecarIsInBIDSUnits() throws {
        let input = try Self.folder("clinical-in")
        let volume = try DICOMSeriesTests.syntheticVolume(size: SIMD3(7, 5, 6), phases: 3, integral: false)
        var a = DICOMSeriesTests.attributes()
        a.acquisitionTimes = ["101500.000", "101630.500", "101800.000"]
        a.extra.append((tag: 0x0018_1030, vr: "LO", value: "dce_protocol"))
        let files = try DICOMSeriesWriter.write(volume, to: input, attributes: a)
        let out = try Self.output("clinical-out")
        let report = try DICOMConversion.convert(input, to: out)
        #expect(report.complete)
        #expect(report.outputs.map(\.niftiFile) == ["3_DCE_t1_fl3d.nii"])
        let image = try NIfTIReader.read(contentsOf: out.appendingPathComponent("3_DCE_t1_fl3d.nii"))
        let clinical = try DICOMReader.readSeries(files)
        #expect(image.volume.size == clinical.size && image.volume.phases == 3)
        #expect(image.volume.geometry.isClose(to: clinical.geometry, tolerance: 1e-4))
        let worst = zip(image.volume.samples, clinical.samples).map { abs($0 - $1) }.max() ?? 1
        #expect(worst <= 1e-3, "NIfTI and readSeries differ by \(worst)")
        #expect(report.outputs.first?.datatype == .int16) // the writer's stored type, kept

        let json = try Self.sidecar(out.appendingPathComponent("3_DCE_t1_fl3d.json"))
        #expect(json["RepetitionTime"] as? Double == 0.0045)
        #expect(json["EchoTime"] as? Double == 0.0018)
        #expect(json["FlipAngle"] as? Double == 12)
        #expect(json["MagneticFieldStrength"] as? Double == 1.5)
        #expect(json["Manufacturer"] as? String == "GE")
        #expect(json["SeriesNumber"] as? Int == 3)
        #expect(json["SeriesDescription"] as? String == "DCE t1_fl3d")
        #expect(json["ProtocolName"] as? String == "dce_protocol")
        #expect(json["ImageType"] as? [String] == ["ORIGINAL", "PRIMARY", "M", "ND"])
        #expect(json["AcquisitionTime"] as? String == "10:15:00.000000")
        #expect(json["FrameTimesStart"] as? [Double] == [0, 90.5, 180])
        Self.expectNoStaging(besides: out)
    }

    /// Two echoes of one series become `_e1` / `_e2` with their own EchoTime and EchoNumber;
    /// a three-plane localizer becomes one file per plane (`_i1`…`_i3`); gzip output on request.
    @Test func echoesAndLocalizerPlanesAreKeptApart() throws {
        let input = try Self.folder("echo-in")
        let volume = try DICOMSeriesTests.syntheticVolume(size: SIMD3(6, 5, 4), integral: true)
        for echo in 1...2 {
            var a = DICOMSeriesTests.attributes(series: "1.2.826.0.1.3680043.10.999.2.5")
            a.sopInstanceUIDPrefix = "1.2.826.0.1.3680043.10.999.2.5.\(echo)"
            a.seriesDescription = "T2 dual echo"
            a.echoTime = 10.0 * Double(echo)
            a.firstInstanceNumber = 1 + 10 * echo
            a.fileNamePrefix = "E\(echo)_"
            a.extra = [(tag: 0x0018_0086, vr: "IS", value: "\(echo)")]
            _ = try DICOMSeriesWriter.write(volume, to: input, attributes: a)
        }
        var loc = DICOMSeriesTests.attributes(series: "1.2.826.0.1.3680043.10.999.2.6")
        loc.seriesNumber = 1
        loc.seriesDescription = "3Plane Loc"
        let axes: [(SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)] = [
            (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)),
            (SIMD3(0, 1, 0), SIMD3(0, 0, -1), SIMD3(-1, 0, 0)),
            (SIMD3(1, 0, 0), SIMD3(0, 0, -1), SIMD3(0, 1, 0)),
        ]
        for (n, plane) in axes.enumerated() {
            let g = Geometry(spacing: SIMD3(2, 2, 5), origin: SIMD3(-10, -10, Double(n)), axes: plane)
            var a = loc
            a.sopInstanceUIDPrefix = "1.2.826.0.1.3680043.10.999.2.6.\(n)"
            a.firstInstanceNumber = n + 1
            a.fileNamePrefix = "LOC\(n)_"
            _ = try DICOMSeriesWriter.write(try Volume(size: SIMD3(8, 8, 1), geometry: g, repeating: Float(100 * n)), to: input, attributes: a)
        }
        let out = try Self.output("echo-out")
        let report = try DICOMConversion.convert(input, to: out, options: .init(gzip: true))
        #expect(report.complete)
        #expect(Self.niftiFiles(out) == ["1_3Plane_Loc_i1.nii.gz", "1_3Plane_Loc_i2.nii.gz", "1_3Plane_Loc_i3.nii.gz",
                                         "3_T2_dual_echo_e1.nii.gz", "3_T2_dual_echo_e2.nii.gz"])
        for echo in 1...2 {
            let json = try Self.sidecar(out.appendingPathComponent("3_T2_dual_echo_e\(echo).json"))
            #expect(json["EchoNumber"] as? Int == echo)
            #expect(json["EchoTime"] as? Double == 0.01 * Double(echo))
            let v = try NIfTIReader.read(contentsOf: out.appendingPathComponent("3_T2_dual_echo_e\(echo).nii.gz")).volume
            #expect(v.samples == volume.samples)
            #expect(v.geometry.isClose(to: volume.geometry, tolerance: 1e-4))
        }
    }

    /// `.dcm.gz` files are read directly: the same NIfTI bytes as from the plain files.
    @Test func gzippedFilesConvertLikeThePlainOnes() throws {
        let plain = try Self.folder("gz-plain"), zipped = try Self.folder("gz-zipped")
        let files = try DICOMSeriesWriter.write(try DICOMSeriesTests.syntheticVolume(), to: plain, attributes: DICOMSeriesTests.attributes())
        for f in files {
            let gz = try Zlib.deflate(Data(contentsOf: f), framing: .gzipOrZlib)
            try gz.write(to: zipped.appendingPathComponent(f.lastPathComponent + ".gz"))
        }
        let o1 = try Self.output("gz-out1"), o2 = try Self.output("gz-out2")
        let r1 = try DICOMConversion.convert(plain, to: o1), r2 = try DICOMConversion.convert(zipped, to: o2)
        #expect(r1.complete && r2.complete && r2.outputs.count == 1)
        let name = try #require(r1.outputs.first?.niftiFile)
        #expect(try Data(contentsOf: o1.appendingPathComponent(name)) == Data(contentsOf: o2.appendingPathComponent(name)))
    }

    // MARK: bad input

    @Test func emptyFolderAndNonDICOMFilesAreRefusedAndNothingIsWritten() throws {
        let empty = try Self.folder("bad-empty")
        let out = try Self.output("bad-empty-out")
        #expect {
            try DICOMConversion.convert(empty, to: out)
        } throws: { error in
            guard case let ImageIOError.notRecognised(file, reason) = error else { return false }
            return file == empty.path && reason.contains("no files")
        }
        let junk = try Self.folder("bad-junk")
        try Data("hello".utf8).write(to: junk.appendingPathComponent("README.txt"))
        try Data(repeating: 7, count: 4000).write(to: junk.appendingPathComponent("IM0001"))
        #expect {
            try DICOMConversion.convert(junk, to: out)
        } throws: { error in
            guard case let ImageIOError.notRecognised(_, reason) = error else { return false }
            return reason.contains("none of its 2 file(s) is a DICOM image")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        Self.expectNoStaging(besides: out)
    }

    /// One file of series A cut short inside its pixel data: A is skipped with the file and the
    /// fault named, series B is converted, the report is not complete; a series whose only file
    /// is cut gives no output folder at all.
    @Test func aTruncatedFileSkipsItsSeriesAndTheOthersAreConverted() throws {
        let input = try Self.folder("trunc-in")
        var a = DICOMSeriesTests.attributes(series: "1.2.826.0.1.3680043.10.999.2.7")
        a.seriesNumber = 7
        a.seriesDescription = "series A"
        let filesA = try DICOMSeriesWriter.write(try DICOMSeriesTests.syntheticVolume(), to: input, attributes: a)
        var b = DICOMSeriesTests.attributes(series: "1.2.826.0.1.3680043.10.999.2.8")
        b.seriesNumber = 8
        b.seriesDescription = "series B"
        b.fileNamePrefix = "B"
        _ = try DICOMSeriesWriter.write(try DICOMSeriesTests.syntheticVolume(), to: input, attributes: b)
        let victim = filesA[2]
        let bytes = try Data(contentsOf: victim)
        try bytes.prefix(bytes.count - 20).write(to: victim)

        let out = try Self.output("trunc-out")
        let report = try DICOMConversion.convert(input, to: out)
        #expect(!report.complete)
        #expect(report.outputs.map(\.niftiFile) == ["8_series_B.nii"])
        let skipped = try #require(report.skippedSeries.first)
        #expect(skipped.seriesNumber == 7 && skipped.reason.contains(victim.lastPathComponent) && skipped.reason.contains("truncated"),
                "\(skipped.reason)")
        #expect(report.text.contains("skipped    series 7 \"series A\""))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)) == ["8_series_B.nii", "8_series_B.json"])
        Self.expectNoStaging(besides: out)

        let lone = try Self.folder("trunc-lone")
        try bytes.prefix(bytes.count - 20).write(to: lone.appendingPathComponent("IM1.dcm"))
        let out2 = try Self.output("trunc-lone-out")
        let r2 = try DICOMConversion.convert(lone, to: out2)
        #expect(r2.outputs.isEmpty && r2.skippedSeries.count == 1)
        #expect(!FileManager.default.fileExists(atPath: out2.path))
        Self.expectNoStaging(besides: out2)
    }

    /// An output folder that exists and is not empty is refused (and left as it was) unless
    /// overwrite is asked for; then the new files join the old one.
    @Test func aNonEmptyOutputIsRefusedUnlessForced() throws {
        let input = try Self.folder("force-in")
        _ = try DICOMSeriesWriter.write(try DICOMSeriesTests.syntheticVolume(), to: input, attributes: DICOMSeriesTests.attributes())
        let out = try Self.folder("force-out")
        try Data("keep".utf8).write(to: out.appendingPathComponent("notes.txt"))
        #expect {
            try DICOMConversion.convert(input, to: out)
        } throws: { error in
            guard case let ImageIOError.io(file, reason) = error else { return false }
            return file == out.path && reason.contains("not empty") && reason.contains("--force")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["notes.txt"])
        let report = try DICOMConversion.convert(input, to: out, options: .init(overwrite: true))
        #expect(report.complete)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)) == ["notes.txt", "3_DCE_t1_fl3d.nii", "3_DCE_t1_fl3d.json"])
        Self.expectNoStaging(besides: out)
    }

    // MARK: pieces

    @Test func namesAreFileSafeAndUnique() {
        #expect(ConversionNaming.fileSafe("Ax T2 FSE/FS?") == "Ax_T2_FSE_FS_")
        #expect(ConversionNaming.fileSafe("EPI PE=AP") == "EPI_PE=AP")
        #expect(ConversionNaming.fileSafe(".hidden Zoë") == "_hidden_Zo_")
        var naming = ConversionNaming()
        #expect(naming.name(seriesNumber: 5, description: "t1 pre", suffix: "") == "5_t1_pre")
        #expect(naming.name(seriesNumber: 5, description: "t1 pre", suffix: "") == "5_t1_pre_a")
        #expect(naming.name(seriesNumber: 5, description: "T1 PRE", suffix: "") == "5_T1_PRE_b")
        #expect(naming.name(seriesNumber: nil, description: "", suffix: "_e2") == "series_e2")
        #expect(ConversionNaming.letters(26) == "aa")
    }

    @Test func dicomTimesReadAsSeconds() {
        #expect(DICOMTime.seconds("101500") == 36900)
        #expect(DICOMTime.seconds("101500.25") == 36900.25)
        #expect(DICOMTime.seconds("10:15:00") == 36900)
        #expect(DICOMTime.seconds("1015") == 36900)
        #expect(DICOMTime.seconds("20260102101500.5")! - DICOMTime.seconds("20260101101500")! == 86400.5)
        #expect(DICOMTime.seconds("not a time") == nil)
        #expect(DICOMTime.bidsTime("134935.305") == "13:49:35.305000")
        #expect(DICOMTime.bidsTime("20260101101500.000000") == "10:15:00.000000")
        #expect(DICOMTime.daysFromCivil(1970, 1, 1) == 0 && DICOMTime.daysFromCivil(2000, 3, 1) == 11017)
    }
}

/// `NativePixelCopy` (pixels read straight from the file into the NIfTI buffer) against its slow
/// twin (`DICOMReader.readFile` + `DICOMPixelDecoder`): the same NIfTI bytes for single-frame and
/// Enhanced files in explicit and implicit VR, signed and unsigned; and the prefix header read
/// equals the whole-file one.
struct NativePixelCopyTests {
    static func stacks(in folder: URL) throws -> [ConversionSeries.Stack] {
        let scan = try ConversionScan(directory: folder)
        return try scan.series.keys.sorted().flatMap { try ConversionSeries(uid: $0, files: scan.series[$0]!).stacks }
    }

    @Test func fastAndSlowPathsWriteTheSameBytes() throws {
        let synthetic = try DICOMConversionTests.folder("native-synthetic")
        _ = try DICOMSeriesWriter.write(try DICOMSeriesTests.syntheticVolume(phases: 2), to: synthetic, attributes: DICOMSeriesTests.attributes())
        let enhanced = try DICOMConversionTests.folder("native-enhanced")
        for name in ["enhanced_oblique.dcm", "enhanced_oblique_implicit.dcm", "enhanced_oblique_big_endian.dcm"] {
            let sub = enhanced.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: DICOMFixtures.url(name), to: sub.appendingPathComponent(name))
        }
        var checked = 0
        for folder in [synthetic, DICOMFixtures.url("classic_oblique"), DICOMFixtures.url("classic_dce")]
            + (try FileManager.default.contentsOfDirectory(at: enhanced, includingPropertiesForKeys: nil)) {
            for stack in try Self.stacks(in: folder) {
                let fast = try ConvertedStack(stack, directory: folder.path)
                let slow = try ConvertedStack(stack, directory: folder.path, nativeFastPath: false)
                #expect(fast.nii == slow.nii, "\(folder.lastPathComponent)")
                #expect(fast.datatype == slow.datatype)
                checked += 1
            }
        }
        #expect(checked == 6)
    }

    @Test func headerFromAPrefixEqualsTheWholeFileHeader() throws {
        let files = [DICOMFixtures.url("enhanced_oblique.dcm"), DICOMFixtures.url("enhanced_oblique_implicit.dcm"),
                     DICOMFixtures.url("enhanced_dce.dcm"), DICOMFixtures.url("classic_dce/IM00001.dcm")]
        for url in files {
            let whole = try DICOMReader.readHeader(url)
            for prefix in [200, 700, 1500, 4096, 1 << 16] {
                let head = try DICOMReader.readHeader(url, prefix: prefix)
                #expect(head.dataSet.tags == whole.dataSet.tags, "\(url.lastPathComponent) prefix \(prefix)")
                #expect(head.pixelDataBytes == whole.pixelDataBytes, "\(url.lastPathComponent) prefix \(prefix)")
                #expect(head.pixelDataOffset == whole.pixelDataOffset, "\(url.lastPathComponent) prefix \(prefix)")
                #expect(head.hasPixelData && head.transferSyntax == whole.transferSyntax)
            }
        }
    }
}
