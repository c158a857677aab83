// swift-tools-version:6.0
// her2mri — HER2 status from multi-sequence breast MRI plus clinical data.
// Rooms (targets) are listed top to bottom; imports only go down (see DESIGN.md).
import PackageDescription

// The LASSO coordinate descent is compute-bound at n > p: on x86-64, Biostatistics is compiled
// for AVX2 + FMA (every Intel core since Haswell, 2013, and every AMD Zen), 1.5x faster per core
// than the SSE2 baseline (tools/biostat/bench.sh). Elsewhere the compiler's default applies.
#if arch(x86_64)
let biostatisticsSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let biostatisticsSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "her2mri",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "her2mri", targets: ["her2mri"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The command line: parse, call one library function, map the outcome to an exit code.
        .executableTarget(
            name: "her2mri",
            dependencies: [
                "Demonstration", "DropFolder", "SyntheticCohorts", "Reports", "HER2Model", "Volumes", "ImageIO", "Biostatistics", "DeepFeatures",
                "Radiomics", "Support",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The watcher as a service: claims, workers, ledger (SQLite through GRDB), retries, quarantine.
        .target(name: "DropFolder", dependencies: [
            "HER2Model", "Support",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // `her2mri demo`: the whole chain on a synthetic cohort, for a newcomer.
        .target(name: "Demonstration", dependencies: ["DropFolder", "Reports", "SyntheticCohorts", "HER2Model", "ImageIO", "Volumes", "Support"]),

        // What people hold in their hands: Cairo PDFs (patient report, cohort ROC / calibration /
        // DCA), HL7 v2.5.1 ORU^R01 messages (libxml2). The only room that touches Cairo and libxml2.
        .target(name: "Reports", dependencies: ["HER2Model", "Biostatistics", "ImageIO", "LinearAlgebra", "Support", "CCairo", "CLibXML2"]),
        // Speed figures for Reports (one patient report; cohort PDFs for 2,400 patients): a program, not a test.
        .executableTarget(name: "ReportsBenchmark", dependencies: ["Reports", "HER2Model", "Support"]),
        // Speed of predict for one study with every backbone the model was trained with: a program, not a test.
        .executableTarget(name: "PredictBenchmark", dependencies: ["Reports", "HER2Model", "DeepFeatures", "Support"]),

        // Synthetic breast-MRI studies with known ground truth (four centres, vendor DICOM styles).
        .target(name: "SyntheticCohorts", dependencies: ["HER2Model", "ImageIO", "Volumes", "Biostatistics", "Support"]),

        // The method: study folders, preprocessing, lesion measures, features, training, prediction.
        .target(name: "HER2Model", dependencies: ["Volumes", "ImageIO", "DeepFeatures", "Radiomics", "Biostatistics", "Support"]),

        // A small float32 inference engine and the four ImageNet backbones (oneDNN kernels).
        .target(name: "DeepFeatures", dependencies: ["LinearAlgebra", "Support", "CDNNL"]),

        // Handcrafted IBSI / pyradiomics features of an image inside a mask (knows nothing of HER2).
        .target(name: "Radiomics", dependencies: ["Volumes", "Support"]),
        // Side-by-side speed figures for Radiomics (tools/radiomics/bench.py); not a test.
        .executableTarget(name: "RadiomicsBenchmark", dependencies: ["Radiomics", "ImageIO", "Support"]),

        // Statistics: matrices, vectors and labels in, results out (knows nothing of HER2).
        .target(name: "Biostatistics", dependencies: ["LinearAlgebra", "Support"], swiftSettings: biostatisticsSettings),
        // Side-by-side speed figures for Biostatistics (tools/biostat/bench.sh); not a test.
        .executableTarget(name: "BiostatisticsBenchmark", dependencies: ["Biostatistics", "LinearAlgebra", "Support"]),

        // Imaging: grids with geometry, then the file formats that fill them.
        // The JPEG 2000 decoding benchmark (tools/bench_j2k.sh): a program, not a test.
        .executableTarget(name: "CodecBench", dependencies: ["ImageIO", "Support"]),
        .target(name: "ImageIO", dependencies: ["Volumes", "Support", "CZlib", "CCharLS", "COpenJPEG", "CJPEG"]),
        .target(name: "Volumes", dependencies: ["LinearAlgebra", "Support"]),

        // The only room that calls BLAS / LAPACK.
        .target(name: "LinearAlgebra", dependencies: ["Support", "CBLAS"]),

        // HER2-independent plumbing: SHA-256, atomic file writes, ordered JSON, parallel map, seeded generator.
        // SHA-256 comes from libcrypto (SHA-NI where the processor has it), with a Swift twin.
        .target(name: "Support", dependencies: ["CCrypto"]),

        // C shims over Debian's libraries: module maps, nothing else.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        .systemLibrary(name: "CCharLS", path: "Sources/CCharLS"),
        .systemLibrary(name: "COpenJPEG", path: "Sources/COpenJPEG"),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG"),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo"),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0"),

        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "Support"]),
        .testTarget(name: "VolumesTests", dependencies: ["Volumes"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "Volumes", "LinearAlgebra", "Support"]),
        .testTarget(name: "DeepFeaturesTests", dependencies: ["DeepFeatures", "LinearAlgebra", "Support"]),
        .testTarget(name: "RadiomicsTests", dependencies: ["Radiomics", "Volumes", "ImageIO"]),
        .testTarget(name: "BiostatisticsTests", dependencies: ["Biostatistics", "LinearAlgebra", "Support"]),
        .testTarget(name: "HER2ModelTests", dependencies: ["HER2Model", "SyntheticCohorts", "ImageIO", "Volumes", "Radiomics", "Biostatistics", "Support"]),
        .testTarget(name: "SyntheticCohortsTests", dependencies: ["SyntheticCohorts", "HER2Model", "ImageIO", "Volumes", "Support"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "HER2Model", "ImageIO", "Biostatistics", "LinearAlgebra", "Support"]),
        .testTarget(name: "DropFolderTests", dependencies: ["DropFolder", "Support"]),
        .testTarget(name: "EndToEndTests", dependencies: ["her2mri", "ImageIO", "Volumes", "DropFolder", "Support"]),
    ]
)
