# Reference coefficients of the LASSO-logistic path at λ values off the path, as glmnet gives them
# when asked for the solution there: coef(fit, s, exact = TRUE) refits on the union of the path and
# the requested λ (warm starts along it). Also records coef(..., exact = FALSE), the linear
# interpolation between the neighbouring path values, to show how far that is from the solution.
#
# Rerun (Debian 12):
#   apt-get install -y --no-install-recommends r-base-core r-cran-glmnet r-cran-jsonlite
#   Rscript tools/biostat/make_lasso_exact.R fixtures/biostatistics
# Reads lasso_tall.csv and lasso_wide.csv written by make_fixtures.R; writes lasso_exact_ref.json.
suppressMessages({ library(glmnet); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "fixtures/biostatistics"
one <- function(name) {
  d <- read.csv(file.path(out, paste0(name, ".csv")))
  x <- as.matrix(d[, -(1:2)]); y <- d$y
  fit <- glmnet(x, y, family = "binomial", thresh = 1e-20)
  l <- fit$lambda
  # 0.05 (the value the stats command test asks for), geometric midpoints between path
  # neighbours early, mid and late on the path, and a value above λ_max (all coefficients 0).
  s <- sort(unique(c(0.05, sqrt(l[3] * l[4]), sqrt(l[12] * l[13]), sqrt(l[30] * l[31]),
                     sqrt(l[length(l) - 2] * l[length(l) - 1]), l[1] * 1.5)), decreasing = TRUE)
  ex <- as.matrix(coef(fit, s = s, exact = TRUE, x = x, y = y))
  ip <- as.matrix(coef(fit, s = s, exact = FALSE))
  list(thresh = 1e-20, s = s, names = rownames(ex), exact = unname(ex), interpolated = unname(ip))
}
writeLines(toJSON(list(glmnet = as.character(packageVersion("glmnet")), R = R.version.string,
                       lasso_tall = one("lasso_tall"), lasso_wide = one("lasso_wide")),
                  digits = NA, auto_unbox = TRUE),
           file.path(out, "lasso_exact_ref.json"))
