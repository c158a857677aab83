/// Ceilings that protect the reader from absurd headers: checked before any allocation.
public enum ImageIOLimits {
    /// Largest pixel/voxel payload any reader will allocate (bytes). 4 GiB covers a 4-D breast
    /// DCE study at full resolution many times over.
    public static let maximumPayloadBytes = 4 << 30
    /// Largest extent along one axis.
    public static let maximumExtent = 1 << 16
}
