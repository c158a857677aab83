/// Filling the holes of a binary mask: background regions (6-connected) that do not reach the
/// border of the grid become foreground (the morphological reconstruction of the complement
/// from the border; Soille, Morphological Image Analysis, 2003, §6.3.7).
extension Volume {
    /// This mask (phase 0, > 0.5 inside) with every enclosed background region filled.
    public func filledHoles() -> Volume {
        let nx = size.x, ny = size.y, nz = size.z
        let inverse = maskVolume(samples[0..<voxelsPerPhase].map { $0 > 0.5 ? 0 : 1 })
        let cc = inverse.connectedComponents(connectivity: .faces)
        var touches = [Bool](repeating: false, count: cc.count + 1)
        for k in 0..<nz {
            for j in 0..<ny {
                for i in 0..<nx where i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1 {
                    touches[Int(cc.labels[i + nx * (j + ny * k)])] = true
                }
            }
        }
        return maskVolume((0..<voxelsPerPhase).map { v in
            let l = Int(cc.labels[v])
            return (l == 0 || !touches[l]) ? 1 : 0
        })
    }
}
