import Foundation
import Support
@testable import SyntheticCohorts
import Testing
import Support
@testable import HER2Model
@testable import SyntheticCohorts
import Support

/// The lesion stage's boolean adapters over Volumes' morphology: duality, order, components, holes.
@Suite struct LesionMorphologyTests {
    static func randomMask(_ size: SIMD3<Int>, density: Double, seed: UInt64) -> [Bool] {
        var rng = SplitMix64(seed: seed)
        return (0..<(size.x * size.y * size.z)).map { _ in rng.unit() < density }
    }

    @Test func dilationAndErosionAreDualAndOrdered() {
        let size = SIMD3(12, 11, 6), spacing = SIMD3(1.0, 1.0, 2.0)
        let mask = Self.randomMask(size, density: 0.5, seed: 9)
        let dilated = LesionMorphology.dilate(mask, size: size, spacing: spacing, radius: 2)
        let eroded = LesionMorphology.erode(mask, size: size, spacing: spacing, radius: 2)
        // erode(A) = ¬dilate(¬A); erode(A) ⊆ A ⊆ dilate(A).
        #expect(eroded == LesionMorphology.dilate(mask.map { !$0 }, size: size, spacing: spacing, radius: 2).map { !$0 })
        for v in 0..<mask.count {
            if eroded[v] { #expect(mask[v]) }
            if mask[v] { #expect(dilated[v]) }
        }
    }

    @Test func componentsAndHoles() {
        let size = SIMD3(7, 7, 7)
        var shell = [Bool](repeating: false, count: 343)
        for k in 1...5 { for j in 1...5 { for i in 1...5 where i == 1 || i == 5 || j == 1 || j == 5 || k == 1 || k == 5 {
            shell[i + 7 * (j + 7 * k)] = true
        } } }
        let filled = LesionMorphology.fillHoles(shell, size: size)
        #expect(filled.filter { $0 }.count == 125)
        var two = shell
        two[0] = true // touches the shell's corner (1,1,1) diagonally: 26-connected
        #expect(LesionMorphology.component(of: two, size: size, containing: 0).filter { $0 }.count == 99)
        #expect(LesionMorphology.component(of: two, size: size, containing: 3 + 7 * (3 + 7 * 3)).allSatisfy { !$0 })
    }
}
