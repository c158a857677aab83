// swift-tools-version:6.0
// her2mri — HER2 status from multi-sequence breast MRI plus clinical data.
// Rooms (targets) are listed top to bottom; imports only go down (see DESIGN.md).
import PackageDescription

let package = Package(
    name: "her2mri",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "her2mri", targets: ["her2mri"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The command line: parse, call one library function, map the outcome to an exit code.
        .executableTarget(
            name: "her2mri",
            dependencies: [
                "HER2Model", "Volumes", "ImageIO", "Biostatistics", "DeepFeatures", "Radiomics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The domain: study folders, synthetic cohorts, preprocessing, lesion measures, the model.
        .target(name: "HER2Model", dependencies: ["Volumes", "ImageIO", "DeepFeatures", "Biostatistics"]),

        // A small float32 inference engine and the four ImageNet backbones (oneDNN kernels).
        .target(name: "DeepFeatures", dependencies: ["LinearAlgebra", "CDNNL"]),

        // Handcrafted IBSI / pyradiomics features of an image inside a mask (knows nothing of HER2).
        .target(name: "Radiomics", dependencies: ["Volumes"]),
        // Side-by-side speed figures for Radiomics (tools/radiomics/bench.py); not a test.
        .executableTarget(name: "RadiomicsBenchmark", dependencies: ["Radiomics", "ImageIO"]),

        // Statistics: matrices, vectors and labels in, results out (knows nothing of HER2).
        .target(name: "Biostatistics", dependencies: ["LinearAlgebra"]),
        // Side-by-side speed figures for Biostatistics (tools/biostat/bench.sh); not a test.
        .executableTarget(name: "BiostatisticsBenchmark", dependencies: ["Biostatistics", "LinearAlgebra"]),

        // Imaging: grids with geometry, then the file formats that fill them.
        // The JPEG 2000 decoding benchmark (tools/bench_j2k.sh): a program, not a test.
        .executableTarget(name: "CodecBench", dependencies: ["ImageIO"]),
        .target(name: "ImageIO", dependencies: ["Volumes", "CZlib", "CCharLS", "COpenJPEG", "CJPEG"]),
        .target(name: "Volumes", dependencies: ["LinearAlgebra"]),

        // The only room that calls BLAS / LAPACK.
        .target(name: "LinearAlgebra", dependencies: ["CBLAS"]),

        // C shims over Debian's libraries: module maps, nothing else.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CCharLS", path: "Sources/CCharLS"),
        .systemLibrary(name: "COpenJPEG", path: "Sources/COpenJPEG"),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG"),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),

        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "VolumesTests", dependencies: ["Volumes"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "Volumes", "LinearAlgebra"]),
        .testTarget(name: "DeepFeaturesTests", dependencies: ["DeepFeatures", "LinearAlgebra"]),
        .testTarget(name: "RadiomicsTests", dependencies: ["Radiomics", "Volumes", "ImageIO"]),
        .testTarget(name: "BiostatisticsTests", dependencies: ["Biostatistics", "LinearAlgebra"]),
        .testTarget(name: "HER2ModelTests", dependencies: ["HER2Model", "ImageIO", "Volumes"]),
        .testTarget(name: "EndToEndTests", dependencies: ["her2mri"]),
    ]
)
