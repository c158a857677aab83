import Foundation
import LinearAlgebra

/// Settings for the LASSO (elastic-net) logistic path, glmnet's defaults (plain values).
public struct LassoLogisticSettings: Sendable, Equatable {
    /// Elastic-net mixing: 1 is the LASSO, 0 ridge (glmnet's `alpha`).
    public var alpha = 1.0
    /// Length of the default λ path (glmnet's `nlambda`).
    public var lambdaCount = 100
    /// Smallest λ as a fraction of λ_max; nil means glmnet's default, 1e-4 when n ≥ p and 0.01 when n < p.
    public var lambdaMinRatio: Double? = nil
    /// A user-supplied decreasing λ sequence instead of the default path (no early stop then).
    public var lambdas: [Double]? = nil
    /// Coordinate-descent convergence: max_j v_j·Δβ_j² < threshold × null deviance
    /// (glmnet's `thresh`, default 1e-7; reference fixtures use 1e-20).
    public var threshold = 1e-7
    /// Upper bound on coordinate-descent passes over all λ (glmnet's `maxit`).
    public var maxPasses = 100_000
    /// Threads for cross-validation's independent fits (the full path and one per fold); nil
    /// means one per processor core. Each fit runs on one thread and calls no BLAS.
    public var threads: Int? = nil
    /// How the KKT checks read the columns outside the strong set (changed only by the test
    /// that shows the path is the same every way).
    var kktScreening = KKTScreening.boundsThenSingle
    /// Defaults as documented on each property.
    public init() {}
}

/// LASSO / elastic-net penalised logistic regression along a λ path: the glmnet algorithm
/// (Friedman, Hastie & Tibshirani, J Stat Softw 33(1), 2010) as glmnet 4.1's two-class
/// binomial solver runs it.
///
/// Minimises −(1/n)·loglik + λ[(1 − α)/2‖β‖² + α‖β‖₁] over features standardised with the 1/n
/// standard deviation, intercept unpenalised: an outer Newton (IRLS) loop builds the weighted
/// quadratic approximation, coordinate descent with soft-thresholding solves it, with warm
/// starts along the path, the sequential strong rule (Tibshirani et al., JRSS B 74:245, 2012)
/// to choose the working set and KKT checks to admit violators, and active-set passes between
/// full passes. The default path is 100 values geometrically from λ_max (the smallest λ with
/// all β = 0) to λ_max × `lambdaMinRatio`, stopped early as glmnet does (after 5 values, when
/// the deviance ratio gains less than 1e-5 or exceeds 0.999, or the fit saturates).
/// Constant features are excluded and get coefficient 0. Coefficients are reported on the
/// original scale of the features.
public struct LassoLogistic: Sendable {
    /// The settings this estimator fits with.
    public let settings: LassoLogisticSettings

    /// An estimator with the given settings.
    public init(settings: LassoLogisticSettings = LassoLogisticSettings()) { self.settings = settings }

    /// Fits the path of `outcome` (0/1) on the columns of `x` (one row per subject).
    public func fit(x: Matrix, outcome: [Double]) throws -> LassoPath {
        try Validate.length(outcome.count, x.rows, "outcome (one per row of the feature matrix)")
        try Validate.finite(x.elements, "features")
        let y = try Validate.binary(outcome, "outcome")
        if x.columns == 0 { throw BiostatisticsError.empty(what: "feature matrix (no columns)") }
        try validateSettings()
        let rows = Array(0..<x.rows)
        return try LassoPathSolver(x: x, rows: rows, y: y, settings: settings).run()
    }

    func validateSettings() throws {
        guard settings.alpha >= 0 && settings.alpha <= 1 else {
            throw BiostatisticsError.invalidArgument("alpha must be in [0, 1], got \(settings.alpha)")
        }
        if let l = settings.lambdas {
            guard !l.isEmpty, l.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw BiostatisticsError.invalidArgument("lambdas must be finite and non-negative")
            }
            guard zip(l, l.dropFirst()).allSatisfy({ $0 >= $1 }) else {
                throw BiostatisticsError.invalidArgument("lambdas must be in decreasing order")
            }
        } else {
            guard settings.lambdaCount >= 1 else { throw BiostatisticsError.invalidArgument("lambdaCount must be at least 1") }
            if let r = settings.lambdaMinRatio, !(r > 0 && r < 1) {
                throw BiostatisticsError.invalidArgument("lambdaMinRatio must be in (0, 1), got \(r)")
            }
        }
        guard settings.threshold > 0 else { throw BiostatisticsError.invalidArgument("threshold must be positive") }
        if let t = settings.threads, t < 1 { throw BiostatisticsError.invalidArgument("threads must be at least 1, got \(t)") }
    }
}

/// A fitted LASSO-logistic path: immutable, coefficients on the original feature scale.
public struct LassoPath: Sendable {
    /// The λ values fitted, decreasing.
    public let lambdas: [Double]
    /// Intercept at each λ.
    public let intercepts: [Double]
    /// Coefficients at each λ (one array of length p per λ).
    public let coefficients: [[Double]]
    /// Fraction of null deviance explained at each λ (glmnet's `dev.ratio`).
    public let devianceRatio: [Double]
    /// Null deviance, 2n × the mean negative log-likelihood of the intercept-only model.
    public let nullDeviance: Double
    /// Features excluded because they are constant.
    public let constantFeatures: [Int]
    /// Surprises: early stop by maxPasses, a short path.
    public let diagnostics: [String]
    /// Coordinate-descent passes used (glmnet's `npasses`).
    public let passes: Int
    /// Feature columns read by the KKT checks (a measure of the work the bounds spare).
    let kktColumnReads: Int

    /// Intercept and coefficients at any λ, by glmnet's `lambda.interp`: linear interpolation
    /// in λ between the two neighbouring path values, clamped to the ends of the path.
    public func coefficients(at lambda: Double) -> (intercept: Double, beta: [Double]) {
        let k = lambdas.count
        if k == 1 { return (intercepts[0], coefficients[0]) }
        let first = lambdas[0], last = lambdas[k - 1]
        // Position of λ on the path, as a fraction of [first, last].
        let span = first - last
        var frac = span > 0 ? (first - lambda) / span : 0
        frac = min(max(frac, 0), 1)
        let fracs = lambdas.map { span > 0 ? (first - $0) / span : 0 }
        // The index interval containing frac (fracs increase).
        var right = 0
        while right < k - 1 && fracs[right] < frac { right += 1 }
        let left = max(right - 1, 0)
        var w = 1.0
        if fracs[right] == frac { return (intercepts[right], coefficients[right]) }
        if right != left && abs(fracs[left] - fracs[right]) >= Double.ulpOfOne {
            w = (frac - fracs[right]) / (fracs[left] - fracs[right])
        }
        let a0 = w * intercepts[left] + (1 - w) * intercepts[right]
        let beta = zip(coefficients[left], coefficients[right]).map { w * $0 + (1 - w) * $1 }
        return (a0, beta)
    }

    /// Linear predictors of the rows of `x` at λ.
    public func linearPredictor(_ x: Matrix, at lambda: Double) -> [Double] {
        let c = coefficients(at: lambda)
        return (0..<x.rows).map { i in
            var s = c.intercept
            for j in 0..<x.columns where c.beta[j] != 0 { s += c.beta[j] * x[i, j] }
            return s
        }
    }
}

/// How `LassoPathSolver`'s KKT checks read the columns outside the strong set.
enum KKTScreening: Sendable, Equatable {
    /// glmnet's way: every column, double precision.
    case everyColumn
    /// Every column from the single-precision copy, double precision where rounding could matter.
    case single
    /// Skip the columns the Cauchy–Schwarz bound clears, then as `single`.
    case boundsThenSingle
}

/// glmnet's internal constants (`glmnet.control()` factory defaults).
enum GlmnetControl {
    static let fdev = 1e-5
    static let devmax = 0.999
    static let eps = 1e-6
    static let big = 9.9e35
    static let mnlam = 5
    static let pmin = 1e-9
}

/// One path fit on a subset of rows: standardise, then walk the λ path.
struct LassoPathSolver {
    let n: Int, p: Int
    let settings: LassoLogisticSettings
    /// Standardised features, feature-major (row j of this p × n matrix is feature j).
    var xt: Matrix
    let y: [Double]
    let means: [Double], scales: [Double]
    /// The same columns rounded to single precision: the KKT checks read these (half the
    /// memory traffic) and fall back to `xt` only when the rounding could change a decision.
    let xt32: [Float]
    /// Euclidean norm of each standardised column (√n up to rounding), for the KKT bounds.
    let norms: [Double]
    let included: [Bool]

    init(x: Matrix, rows: [Int], y labels: [Bool], settings: LassoLogisticSettings) throws {
        let n = rows.count, p = x.columns
        self.n = n
        self.p = p
        self.settings = settings
        let pos = rows.reduce(0) { $0 + (labels[$1] ? 1 : 0) }
        if min(pos, n - pos) <= 1 {
            throw BiostatisticsError.oneClassOnly(what: "LASSO-logistic (glmnet needs at least 2 of each class)",
                                                  positives: pos, negatives: n - pos)
        }
        y = rows.map { labels[$0] ? 1.0 : 0.0 }
        var xt = Matrix(rows: p, columns: n)
        var means = [Double](repeating: 0, count: p), scales = [Double](repeating: 1, count: p)
        var included = [Bool](repeating: true, count: p)
        var norms = [Double](repeating: 0, count: p)
        var xt32 = [Float](repeating: 0, count: p * n)
        let w = 1.0 / Double(n)
        xt.elements.withUnsafeMutableBufferPointer { dst in
            x.elements.withUnsafeBufferPointer { src in
                // Transpose in blocks of 32 rows so both sides stream through the cache.
                var start = 0
                while start < n {
                    let end = min(start + 32, n)
                    for j in 0..<p {
                        let out = j * n
                        for i in start..<end { dst[out + i] = src[rows[i] * p + j] }
                    }
                    start = end
                }
            }
            for j in 0..<p {
                let col = UnsafeMutableBufferPointer(rebasing: dst[(j * n)..<((j + 1) * n)])
                let first = col[0]
                if !col.contains(where: { $0 != first }) { included[j] = false; for i in 0..<n { col[i] = 0 }; continue }
                var m = 0.0
                for i in 0..<n { m += w * col[i] }
                var s = 0.0
                for i in 0..<n { col[i] -= m; s += w * col[i] * col[i] }
                let sd = s.squareRoot()
                var ss = 0.0
                for i in 0..<n { col[i] /= sd; ss += col[i] * col[i] }
                means[j] = m; scales[j] = sd; norms[j] = ss.squareRoot()
            }
            xt32.withUnsafeMutableBufferPointer { out in
                for k in 0..<(p * n) { out[k] = Float(dst[k]) }
            }
        }
        self.xt = xt
        self.means = means
        self.scales = scales
        self.included = included
        self.norms = norms
        self.xt32 = xt32
    }

    /// Walks the path; see `LassoLogistic` for the algorithm and its sources. The working
    /// state lives in raw buffers allocated once per path (nothing is allocated per λ except
    /// the recorded coefficients), and the coordinate loops are the fused kernels of
    /// `LassoKernels`: each visit reads its feature column once, the curvature x_jᵀVx_j is
    /// computed on the first visit after the weights change, and the weighted residual is
    /// updated in place. The iterates are glmnet's (`lognet2n`): same visiting order, same
    /// strong sets, same convergence tests; only the rounding of the sums differs.
    func run() throws -> LassoPath {
        let n = self.n, p = self.p
        let alpha = settings.alpha
        let w = 1.0 / Double(n)
        let pmin = GlmnetControl.pmin
        let fmax = log(1 / pmin - 1), fmin = -fmax
        let vmin = (1 + pmin) * pmin * (1 - pmin)
        let q0 = y.reduce(0, +) * w
        let bz = log(q0 / (1 - q0))
        let dev1 = -(bz * q0 + log(1 - q0))
        let dev0 = dev1
        let thr = settings.threshold * dev0
        let maxPasses = settings.maxPasses

        // Working state.
        let beta = UnsafeMutablePointer<Double>.allocate(capacity: p); beta.initialize(repeating: 0, count: p)
        let xv = UnsafeMutablePointer<Double>.allocate(capacity: p); xv.initialize(repeating: 0, count: p)
        let ga = UnsafeMutablePointer<Double>.allocate(capacity: p); ga.initialize(repeating: 0, count: p)
        let bs = UnsafeMutablePointer<Double>.allocate(capacity: p); bs.initialize(repeating: 0, count: p)
        let strong = UnsafeMutablePointer<Bool>.allocate(capacity: p); strong.initialize(repeating: false, count: p)
        let isActive = UnsafeMutablePointer<Bool>.allocate(capacity: p); isActive.initialize(repeating: false, count: p)
        let incl = UnsafeMutablePointer<Bool>.allocate(capacity: p)
        for j in 0..<p { (incl + j).initialize(to: included[j]) }
        // Features in entry order (glmnet's m) and the strong set in index order (glmnet's ixx).
        let active = UnsafeMutablePointer<Int>.allocate(capacity: p); active.initialize(repeating: 0, count: p)
        let strongList = UnsafeMutablePointer<Int>.allocate(capacity: p); strongList.initialize(repeating: 0, count: p)
        // xv[j] is current when xvEpoch[j] == epoch (the epoch advances when the weights change).
        let xvEpoch = UnsafeMutablePointer<Int>.allocate(capacity: p); xvEpoch.initialize(repeating: -1, count: p)
        let q = UnsafeMutablePointer<Double>.allocate(capacity: n); q.initialize(repeating: q0, count: n)
        let v = UnsafeMutablePointer<Double>.allocate(capacity: n); v.initialize(repeating: q0 * (1 - q0) * w, count: n)
        let r = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let eta = UnsafeMutablePointer<Double>.allocate(capacity: n); eta.initialize(repeating: 0, count: n)
        let yp = UnsafeMutablePointer<Double>.allocate(capacity: n)
        for i in 0..<n { (yp + i).initialize(to: y[i]); (r + i).initialize(to: w * (y[i] - q0)) }
        // The residual at the last full gradient refresh and |x_jᵀ r_ref| then (see kktGradients).
        let rref = UnsafeMutablePointer<Double>.allocate(capacity: n); rref.initialize(repeating: 0, count: n)
        let gref = UnsafeMutablePointer<Double>.allocate(capacity: p); gref.initialize(repeating: 0, count: p)
        var rrefNorm = 0.0
        defer {
            for ptr in [beta, xv, ga, bs, q, v, r, eta, yp, rref, gref] { ptr.deallocate() }
            strong.deallocate(); isActive.deallocate(); incl.deallocate(); active.deallocate()
            strongList.deallocate(); xvEpoch.deallocate()
        }
        var strongCount = 0
        var epoch = 0
        var kktReads = 0
        var b0 = bz
        var xmz = q0 * (1 - q0)
        var nin = 0
        var passes = 0

        let userLambdas = settings.lambdas
        let nlam = userLambdas?.count ?? settings.lambdaCount
        var alf = 1.0
        let flmin = userLambdas == nil ? (settings.lambdaMinRatio ?? (n < p ? 0.01 : 1e-4)) : 1.0
        if userLambdas == nil && nlam > 1 { alf = pow(max(GlmnetControl.eps, flmin), 1.0 / Double(nlam - 1)) }
        let mnl = min(GlmnetControl.mnlam, nlam)
        let ne = p + 1

        var lambdas = [Double](), intercepts = [Double](), betas = [[Double]](), devRatios = [Double]()
        lambdas.reserveCapacity(nlam); intercepts.reserveCapacity(nlam); betas.reserveCapacity(nlam); devRatios.reserveCapacity(nlam)
        var diagnostics = [String]()
        var lambdaMax = 0.0

        do {
            try xt.elements.withUnsafeBufferPointer { xbuf in
                let xp = xbuf.baseAddress!
                /// |x_jᵀ r| for every included feature, in double precision; the current residual
                /// becomes the reference of the KKT bounds (the start of the path, where λ_max
                /// needs every exact value).
                func exactGradients() {
                    for j in 0..<p where incl[j] {
                        ga[j] = abs(LassoKernels.dot(n, r, xp + j * n))
                        gref[j] = ga[j]
                    }
                    var rn = 0.0
                    for i in 0..<n { rref[i] = r[i]; rn += r[i] * r[i] }
                    rrefNorm = rn.squareRoot()
                }
                /// The KKT check's gradients |x_jᵀ r| outside the strong set, read only where they
                /// could change a decision. Two decisions use them: this λ's KKT test |g_j| > αλ
                /// and the next λ's strong rule |g_j| > `next`; any value on the same side of both
                /// thresholds as the exact one gives glmnet's decisions, hence glmnet's iterates.
                /// - Skipped columns: by Cauchy–Schwarz |x_jᵀ r| ≤ |x_jᵀ r_ref| + ‖x_j‖·‖r − r_ref‖
                ///   (the argument of the safe screening rules: El Ghaoui, Viallon & Rabbani, Pac J
                ///   Optim 8:667, 2012; Fercoq, Gramfort & Salmon, ICML 2015). Where that bound is
                ///   below both thresholds the bound is stored and the column is not read.
                /// - Read columns come from the single-precision copy: |x̃_jᵀ r − x_jᵀ r| ≤
                ///   2⁻²⁴‖x_j‖‖r‖ (each element rounded to nearest), widened by 1e-9·‖x_j‖‖r‖ for
                ///   the double-precision sums. Only when a threshold lies inside that interval is
                ///   the double-precision column read.
                /// When more than a quarter of the columns would need reading, all are read and the
                /// reference moves to the current residual.
                func kktGradients(ab: Double, next: Double) {
                    if settings.kktScreening == .everyColumn {
                        for j in 0..<p where incl[j] && !strong[j] { kktReads += 1; ga[j] = abs(LassoKernels.dot(n, r, xp + j * n)) }
                        return
                    }
                    let limit = min(ab, next)
                    var dd = 0.0, rn = 0.0
                    for i in 0..<n { let e = r[i] - rref[i]; dd += e * e; rn += r[i] * r[i] }
                    let rnorm = rn.squareRoot()
                    let reach = dd.squareRoot() + 1e-9 * (rnorm + rrefNorm)
                    var need = 0, total = 0
                    for j in 0..<p where incl[j] && !strong[j] {
                        total += 1
                        if gref[j] + norms[j] * reach > limit { need += 1 }
                    }
                    let refresh = need * 4 > total || settings.kktScreening == .single
                    let rounding = (0x1p-24 + 1e-9) * rnorm
                    xt32.withUnsafeBufferPointer { x32 in
                        let xs = x32.baseAddress!
                        for j in 0..<p where incl[j] && !strong[j] {
                            if !refresh {
                                let bound = gref[j] + norms[j] * reach
                                if bound <= limit { ga[j] = bound; continue }
                            }
                            kktReads += 1
                            let approx = abs(LassoKernels.dot(n, r, xs + j * n))
                            let e = norms[j] * rounding
                            if abs(approx - ab) <= e || abs(approx - next) <= e {
                                ga[j] = abs(LassoKernels.dot(n, r, xp + j * n))
                                if refresh { gref[j] = ga[j] }
                            } else {
                                ga[j] = approx
                                if refresh { gref[j] = approx + e }
                            }
                        }
                    }
                    if refresh {
                        for i in 0..<n { rref[i] = r[i] }
                        rrefNorm = rnorm
                    }
                }
                func rebuildStrongList() {
                    strongCount = 0
                    for j in 0..<p where strong[j] { strongList[strongCount] = j; strongCount += 1 }
                }
                /// One coordinate-descent pass (over the strong set, or the active set) and an
                /// intercept update; returns the largest weighted squared change.
                func pass(full: Bool, ab: Double, dem: Double) -> Double {
                    passes += 1
                    var dlx = 0.0
                    let count = full ? strongCount : nin
                    for t in 0..<count {
                        let j = full ? strongList[t] : active[t]
                        let c = xp + j * n
                        let g: Double
                        if xvEpoch[j] != epoch {
                            let both = LassoKernels.dotAndWeightedSquares(n, r, v, c)
                            g = both.g
                            xv[j] = both.xv
                            xvEpoch[j] = epoch
                        } else {
                            g = LassoKernels.dot(n, r, c)
                        }
                        let old = beta[j]
                        let u = g + old * xv[j]
                        let a = abs(u) - ab
                        let new = a > 0 ? (u < 0 ? -a : a) / (xv[j] + dem) : 0
                        if new == old { continue }
                        beta[j] = new
                        if full && !isActive[j] { isActive[j] = true; active[nin] = j; nin += 1 }
                        let d = new - old
                        dlx = max(dlx, xv[j] * d * d)
                        LassoKernels.weightedUpdate(n, d, v, c, r)
                    }
                    var rs = 0.0
                    for k in 0..<n { rs += r[k] }
                    let d = rs / xmz
                    if d != 0 {
                        b0 += d
                        dlx = max(dlx, xmz * d * d)
                        for k in 0..<n { r[k] -= d * v[k] }
                    }
                    return dlx
                }

                exactGradients()
                for j in 0..<p where incl[j] { lambdaMax = max(lambdaMax, ga[j]) }
                lambdaMax /= max(alpha, 1e-3)

                var almPrev = 0.0
                pathLoop: for m in 0..<nlam {
                    var alm0 = almPrev, alm: Double
                    if let u = userLambdas { alm = u[m] } else if m > 1 { alm = almPrev * alf } else if m == 0 { alm = GlmnetControl.big } else {
                        var mx = 0.0
                        for j in 0..<p where incl[j] { mx = max(mx, ga[j]) }
                        alm0 = mx / max(alpha, 1e-3)
                        alm = alm0 * alf
                    }
                    almPrev = alm
                    let ab = alm * alpha, dem = alm * (1 - alpha)
                    // Sequential strong rule: keep j when |g_j| > α(2λ − λ_prev).
                    let tlam = alpha * (2 * alm - alm0)
                    var grew = false
                    for j in 0..<p where incl[j] && !strong[j] && ga[j] > tlam { strong[j] = true; grew = true }
                    if grew { rebuildStrongList() }

                    var saturated = false
                    irls: while true {
                        if passes > maxPasses { throw LassoStop.maxPasses(m) }
                        let bs0 = b0
                        let ninStart = nin
                        for t in 0..<nin { bs[t] = beta[active[t]] }
                        // New weights: every xv_j = Σ v·x_j² is recomputed on its next visit.
                        epoch += 1
                        // Weighted least squares: full passes over the strong set, then passes
                        // over the active set until they converge.
                        wls: while true {
                            if pass(full: true, ab: ab, dem: dem) < thr { break wls }
                            if passes > maxPasses { throw LassoStop.maxPasses(m) }
                            while pass(full: false, ab: ab, dem: dem) >= thr {
                                if passes > maxPasses { throw LassoStop.maxPasses(m) }
                            }
                        }
                        // New quadratic approximation at the updated coefficients.
                        for i in 0..<n { eta[i] = b0 }
                        for t in 0..<nin {
                            let j = active[t], bj = beta[j]
                            if bj == 0 { continue }
                            LassoKernels.axpy(n, bj, xp + j * n, eta)
                        }
                        xmz = 0
                        for i in 0..<n {
                            let f = eta[i]
                            q[i] = f < fmin ? 0 : (f > fmax ? 1 : 1 / (1 + exp(-f)))
                            v[i] = w * q[i] * (1 - q[i])
                            xmz += v[i]
                        }
                        if xmz <= vmin { saturated = true; break irls }
                        for i in 0..<n { r[i] = w * (yp[i] - q[i]) }
                        var moved = xmz * (b0 - bs0) * (b0 - bs0) > thr
                        if !moved {
                            // Features that entered during this step started from 0.
                            for t in 0..<nin {
                                let j = active[t]
                                let d = beta[j] - (t < ninStart ? bs[t] : 0)
                                if xv[j] * d * d > thr { moved = true; break }
                            }
                        }
                        if moved { continue irls }
                        // KKT check on the features outside the strong set.
                        let tlamNext: Double
                        if m + 1 >= nlam { tlamNext = .infinity }
                        else if let u = userLambdas { tlamNext = alpha * (2 * u[m + 1] - alm) }
                        else if m == 0 { tlamNext = -.infinity }  // the next λ is λ_max from every exact |g_j|
                        else { tlamNext = alpha * (2 * alm * alf - alm) }
                        if m == 0 && userLambdas == nil { exactGradients() } else { kktGradients(ab: ab, next: tlamNext) }
                        var violated = false
                        for j in 0..<p where incl[j] && !strong[j] && ga[j] > ab { strong[j] = true; violated = true }
                        if !violated { break irls }
                        rebuildStrongList()
                    }
                    // Record this λ (standardised → original scale) and decide whether to stop.
                    var devi = 0.0
                    for i in 0..<n {
                        let pi = min(max(pmin, q[i]), 1 - pmin)
                        devi -= w * (yp[i] * log(pi) + (1 - yp[i]) * log(1 - pi))
                    }
                    let ratio = (dev1 - devi) / dev0
                    var orig = [Double](repeating: 0, count: p)
                    var a0 = b0
                    var nonzero = 0
                    for t in 0..<nin {
                        let j = active[t]
                        if beta[j] == 0 { continue }
                        orig[j] = beta[j] / scales[j]
                        a0 -= orig[j] * means[j]
                        nonzero += 1
                    }
                    lambdas.append(alm); intercepts.append(a0); betas.append(orig); devRatios.append(ratio)
                    if m + 1 < mnl || userLambdas != nil { continue }
                    let gain = ratio - (m == 0 ? 0 : devRatios[m - 1])
                    if nonzero > ne || gain < GlmnetControl.fdev || ratio > GlmnetControl.devmax { break pathLoop }
                    if saturated { diagnostics.append("path stopped: fitted probabilities saturated at λ = \(alm)"); break pathLoop }
                }
            }
        } catch LassoStop.maxPasses(let m) {
            diagnostics.append("convergence for λ number \(m + 1) not reached after \(maxPasses) passes; "
                + "the path ends at the previous λ (as glmnet's warning says)")
        }
        if lambdas.isEmpty {
            throw BiostatisticsError.invalidArgument("LASSO: no λ converged within \(maxPasses) passes; raise maxPasses or the threshold")
        }
        return finish(lambdaMax: lambdaMax, lambdas: lambdas, intercepts: intercepts, betas: betas, devRatios: devRatios,
                      dev0: dev0, diagnostics: diagnostics, passes: passes, kktColumnReads: kktReads)
    }

    func finish(lambdaMax: Double, lambdas: [Double], intercepts: [Double], betas: [[Double]], devRatios: [Double],
                dev0: Double, diagnostics: [String], passes: Int, kktColumnReads: Int) -> LassoPath {
        var lam = lambdas
        // glmnet's fix.lam: the first (infinite) λ becomes the log-linear extrapolation λ₁²/λ₂.
        if settings.lambdas == nil && lam.count > 2 { lam[0] = exp(2 * log(lam[1]) - log(lam[2])) }
        else if settings.lambdas == nil && !lam.isEmpty { lam[0] = lambdaMax }
        return LassoPath(lambdas: lam, intercepts: intercepts, coefficients: betas, devianceRatio: devRatios,
                         nullDeviance: 2 * Double(n) * dev0,
                         constantFeatures: (0..<p).filter { !included[$0] }, diagnostics: diagnostics,
                         passes: passes, kktColumnReads: kktColumnReads)
    }
}

/// Internal signal: the pass budget ran out at path index m.
enum LassoStop: Error { case maxPasses(Int) }
