import Foundation
import Volumes

/// The tumour on the DCE grid: the mask the chain measures and crops around, and where it came
/// from. An automatic mask is a surprise every output must state (`automatic`).
public struct Lesion: Sendable {
    /// 1 inside, 0 outside, on the aligned study's DCE grid.
    public let mask: Volume
    /// True when the mask was found from the DCE subtraction (no `tumor_mask` in the study).
    public let automatic: Bool
    /// Where the mask came from: the file's name, or how it was found.
    public let source: String

    public init(mask: Volume, automatic: Bool, source: String) {
        self.mask = mask
        self.automatic = automatic
        self.source = source
    }

    /// The lesion of a study: its `tumor_mask` when given (refused when empty or off the DCE
    /// grid), otherwise the one `LesionFinder` finds.
    public static func of(_ aligned: AlignedStudy, finder: LesionFinder = LesionFinder()) throws -> Lesion {
        if let given = aligned.study.tumourMask {
            let file = Lesion.maskFileName(aligned.study.folder, "tumor_mask")
            try Lesion.validate(given, on: aligned, file: file)
            return Lesion(mask: given, automatic: false, source: file)
        }
        return try finder.find(in: aligned)
    }

    /// The second reader's lesion: `tumor_mask_reader2` when given, else nil.
    public static func secondReader(_ aligned: AlignedStudy) throws -> Lesion? {
        guard let given = aligned.study.secondReaderMask else { return nil }
        let file = Lesion.maskFileName(aligned.study.folder, "tumor_mask_reader2")
        try Lesion.validate(given, on: aligned, file: file)
        return Lesion(mask: given, automatic: false, source: file)
    }

    /// A given mask must lie on the DCE grid and hold at least one voxel.
    static func validate(_ mask: Volume, on aligned: AlignedStudy, file: String) throws {
        let path = aligned.study.folder.appendingPathComponent(file).path
        let dce = aligned.dce
        guard mask.size == dce.size, mask.phases == 1, mask.geometry.isClose(to: dce.geometry, tolerance: 1e-2) else {
            throw HER2ModelError.invalidStudy(path: path, reason:
                "study \(aligned.study.folder.lastPathComponent): the mask's grid (\(mask.size.x)×\(mask.size.y)×\(mask.size.z)) is not the DCE's (\(dce.size.x)×\(dce.size.y)×\(dce.size.z)); draw it on the DCE")
        }
        guard mask.maskVoxelCount > 0 else {
            throw HER2ModelError.invalidStudy(path: path, reason:
                "study \(aligned.study.folder.lastPathComponent): the mask is empty (no voxel > 0.5); outline the tumour, or remove the file to let the tool find it automatically")
        }
    }

    /// `name.nii.gz` or `name.nii`, whichever the folder holds (the first when neither).
    static func maskFileName(_ folder: URL, _ name: String) -> String {
        StudyLoader.nifti(folder, name)?.lastPathComponent ?? "\(name).nii.gz"
    }
}
