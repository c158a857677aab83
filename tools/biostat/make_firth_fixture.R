# Reference for FirthLogisticRegression: Firth's penalised likelihood by R's brglm2
# (glm(method = brglmFit, type = "AS_mean"), mean bias reduction, which for the logit link is
# Firth 1993), on three data sets written beside it as CSV: complete separation (one predictor),
# quasi-complete separation with four predictors of a small training cohort's shape, and the
# ordinary logit.csv (no separation: Firth's estimates are then close to, not equal to, glm's).
#
# Rerun (Debian 12):
#   apt-get install -y --no-install-recommends r-base-core r-cran-brglm2 r-cran-jsonlite
#   Rscript tools/biostat/make_firth_fixture.R fixtures/biostatistics
suppressMessages({ library(brglm2); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "fixtures/biostatistics"
set.seed(303)
n <- 40
size <- round(rnorm(n, 25, 8), 2)
age <- round(rnorm(n, 55, 10), 1)
nodes <- rbinom(n, 1, 0.4)
score <- round(rnorm(n), 4)
y <- as.integer(score + 0.05 * (size - 25) > 0.2)   # score separates y up to the size term
y[nodes == 1 & y == 0][1] <- 1L                        # not completely: quasi-separation
quasi <- data.frame(y = y, score = score, size = size, age = age, nodes = nodes)
write.csv(quasi, file.path(out, "firth_quasi.csv"), row.names = FALSE, quote = FALSE)
fitted <- function(formula, data) {
  f <- glm(formula, family = binomial("logit"), data = data, method = "brglmFit", type = "AS_mean",
           control = list(epsilon = 1e-14, maxit = 500))
  s <- summary(f)$coefficients
  list(names = rownames(s), estimate = unname(s[, 1]), se = unname(s[, 2]),
       covariance = unname(vcov(f)), deviance = deviance(f), converged = f$converged)
}
sep <- read.csv(file.path(out, "logit_separated.csv"))
logit <- read.csv(file.path(out, "logit.csv"))
ref <- list(R = R.version.string, brglm2 = as.character(packageVersion("brglm2")),
            separated = fitted(y ~ x, sep),
            quasi = fitted(y ~ score + size + age + nodes, quasi),
            ordinary = fitted(y ~ a + b + c, logit))
writeLines(toJSON(ref, digits = NA, auto_unbox = TRUE), file.path(out, "firth_ref.json"))
