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
                "Volumes", "ImageIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The JPEG 2000 decoding benchmark (tools/bench_j2k.sh): a program, not a test.
        .executableTarget(name: "CodecBench", dependencies: ["ImageIO"]),

        // Imaging: grids with geometry, then the file formats that fill them.
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

        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "VolumesTests", dependencies: ["Volumes"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "Volumes"]),
    ]
)
