/// Binary morphology with a ball given in millimetres (van Herk / Gil–Werman style kernels are
/// not needed: the ball is the level set of the exact Euclidean distance transform).
///
/// Conventions (ITK's BinaryErode / BinaryDilate defaults): a voxel is inside a mask when its
/// value is > 0.5; the ball of radius r holds every voxel offset whose centre lies within r mm
/// (Σ (offset_axis · spacing_axis)² ≤ r²), so it is anisotropic in voxels on anisotropic grids;
/// outside the grid counts as background for dilation and as foreground for erosion (the image
/// border does not erode a mask). The result is a 1/0 mask of phase 0 on the same grid.
/// Erosion ⊖ and dilation ⊕ by a ball B: A ⊕ B = {x : d(x, A) ≤ r}, A ⊖ B = {x : d(x, Aᶜ) > r}
/// (Serra 1982); opening = (A ⊖ B) ⊕ B, closing = (A ⊕ B) ⊖ B.
extension Volume {
    /// Grows the mask by a ball of `radiusMm`.
    public func dilated(radiusMm: Double) -> Volume {
        let src = samples
        let d2 = DistanceTransform.squaredDistances(size: size, spacing: geometry.spacing) { src[$0] > 0.5 }
        let r2 = radiusMm * radiusMm * (1 + 1e-9)
        return maskVolume(d2.map { $0 <= r2 ? 1 : 0 })
    }

    /// Shrinks the mask by a ball of `radiusMm`.
    public func eroded(radiusMm: Double) -> Volume {
        let src = samples
        let d2 = DistanceTransform.squaredDistances(size: size, spacing: geometry.spacing) { !(src[$0] > 0.5) }
        let r2 = radiusMm * radiusMm * (1 + 1e-9)
        return maskVolume(d2.map { $0 > r2 ? 1 : 0 })
    }

    /// Erosion then dilation: removes parts thinner than the ball, keeps the rest's shape.
    public func opened(radiusMm: Double) -> Volume {
        eroded(radiusMm: radiusMm).dilated(radiusMm: radiusMm)
    }

    /// Dilation then erosion: fills gaps and holes narrower than the ball.
    public func closed(radiusMm: Double) -> Volume {
        dilated(radiusMm: radiusMm).eroded(radiusMm: radiusMm)
    }

    /// A 1/0 mask on this grid (phase 0) from `values`, one per voxel of a phase.
    func maskVolume(_ values: [Float]) -> Volume {
        precondition(values.count == voxelsPerPhase)
        // The grid was validated when `self` was made.
        return try! Volume(size: size, geometry: geometry, samples: values)
    }
}
