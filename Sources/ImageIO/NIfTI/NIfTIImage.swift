import Volumes

/// A NIfTI file as read: the checked header and the voxels as a `Volume`.
///
/// `volume.samples` are float32 after `scl_slope` / `scl_inter` scaling (nibabel's rules, see
/// `NIfTIHeader.slopeInter`); `volume.geometry` is nibabel's best affine (`img.affine`, RAS+)
/// converted to this package's LPS world; a 4-D file has `volume.phases == dim[4]`.
public struct NIfTIImage: Sendable {
    /// The header the volume was read with.
    public let header: NIfTIHeader
    /// The scaled voxels and their geometry (LPS).
    public let volume: Volume

    /// Pairs a header with the volume read from it.
    public init(header: NIfTIHeader, volume: Volume) {
        self.header = header
        self.volume = volume
    }
}
