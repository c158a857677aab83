# Reference for Tests/BiostatisticsTests/OptimismCorrectedCalibrationTests: rms::calibrate
# (method = "boot") run on exactly the bootstrap resamples the Swift code draws, so the two
# optimism-corrected curves can be compared to 1e-6 instead of only in size.
#
# The resamples come from fixtures/biostatistics/calibrate_boot_indices.json (1-based row
# indices, one row per replicate), written by the Swift test with
#   HER2MRI_WRITE_FIXTURES=1 swift test -c release --filter OptimismCorrectedCalibrationTests
# rms's own calibrate.default and predab.resample run unmodified; only their `sample` is
# resolved to a function that hands out those resamples in order instead of R's random draws
# (copies of the two functions get an environment, child of rms's namespace, that defines it).
#
# Rerun (Debian 12: apt-get install -y --no-install-recommends r-base-core r-cran-rms r-cran-jsonlite):
#   Rscript tools/biostat/calibrate_boot_reference.R fixtures/biostatistics
suppressMessages({ library(rms); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "fixtures/biostatistics"

d <- read.csv(file.path(out, "logit.csv"))
drawn <- fromJSON(file.path(out, "calibrate_boot_indices.json"))
S <- drawn$indices                      # B x n matrix, 1-based
stopifnot(is.matrix(S), ncol(S) == nrow(d), all(S >= 1), all(S <= nrow(d)))
B <- nrow(S); n <- ncol(S)

given <- new.env(parent = asNamespace("rms"))
used <- 0L
given$sample <- function(x, size, replace = FALSE, prob = NULL) {
  if (isTRUE(replace) && missing(size) && length(x) == 1L && x == n) {
    used <<- used + 1L
    return(S[used, ])
  }
  stop("rms drew a sample the reference does not provide: sample(", deparse(x), ", replace = ", replace, ")")
}
given$predab.resample <- rms:::predab.resample
environment(given$predab.resample) <- given
calibrate_given <- rms:::calibrate.default
environment(calibrate_given) <- given

fit <- lrm(y ~ a + b + c, data = d, x = TRUE, y = TRUE, tol = 1e-14)
cal <- calibrate_given(fit, B = B)
stopifnot(used == B)
writeLines(toJSON(list(
  source = "rms::calibrate(lrm(y ~ a + b + c, tol = 1e-14), B) on calibrate_boot_indices.json",
  rms = as.character(packageVersion("rms")), R = R.version.string, B = B,
  predy = unname(cal[, "predy"]), apparent = unname(cal[, "calibrated.orig"]),
  optimism = unname(cal[, "optimism"]), corrected = unname(cal[, "calibrated.corrected"]),
  n = unname(cal[, "n"])), digits = NA, auto_unbox = TRUE),
  file.path(out, "calibrate_boot_ref.json"))
cat("wrote", file.path(out, "calibrate_boot_ref.json"), "from", B, "resamples of", n, "rows\n")
