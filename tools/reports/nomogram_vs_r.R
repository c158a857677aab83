# The nomogram beside R's: fits rms::lrm on a seeded data set and writes
#   fixtures/reports/nomogram_data.csv   the data (y + seven predictors)
#   fixtures/reports/nomogram_ref.json   coefficients and rms::nomogram's axes (tick values,
#                                        points), total-points ticks and probability ticks
# and, when a PNG path is given, R's plot(nomogram(fit)) for a side-by-side look with ours
# (Tests/ReportsTests/NomogramRTests writes ours to $HER2MRI_NOMOGRAM_PDF when that is set).
# Rerun from the package root (R 4.2.2, r-cran-rms 6.5-0, r-cran-jsonlite from Debian):
#   Rscript tools/reports/nomogram_vs_r.R fixtures/reports [/tmp/nomogram_r.png]
suppressMessages({ library(rms); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "fixtures/reports"
set.seed(11)
n <- 300
d <- data.frame(radScore = round(rnorm(n, 0, 1.2), 3), age = round(runif(n, 28, 81)),
                lymphNodeInvolvement = rbinom(n, 1, 0.35), microcalcifications = rbinom(n, 1, 0.45),
                tumourSizeMm = round(rlnorm(n, log(24), 0.4), 1), kineticType = sample(1:3, n, TRUE),
                peritumoralEdema = rbinom(n, 1, 0.3))
lp <- -1.2 + 1.1 * d$radScore - 0.02 * (d$age - 55) + 0.6 * d$lymphNodeInvolvement + 0.4 * d$microcalcifications +
  0.02 * d$tumourSizeMm + 0.3 * d$kineticType + 0.3 * d$peritumoralEdema
d$y <- rbinom(n, 1, plogis(lp))
write.csv(d[, c("y", "radScore", "age", "lymphNodeInvolvement", "microcalcifications", "tumourSizeMm", "kineticType", "peritumoralEdema")],
          file.path(out, "nomogram_data.csv"), row.names = FALSE, quote = FALSE)
dd <- datadist(d); options(datadist = "dd")
fit <- lrm(y ~ radScore + age + lymphNodeInvolvement + microcalcifications + tumourSizeMm + kineticType + peritumoralEdema, data = d, tol = 1e-14)
fat <- c(0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
nom <- nomogram(fit, fun = plogis, fun.at = fat, funlabel = "Probability HER2+", lp = FALSE)
vars <- names(fit$Design$limits)
axes <- lapply(vars[vars %in% names(nom)], function(v) list(name = v, values = unname(nom[[v]][[v]]), points = unname(nom[[v]]$points)))
ref <- list(versions = list(R = R.version.string, rms = as.character(packageVersion("rms"))),
            intercept = unname(coef(fit)[1]), coefficients = unname(coef(fit)[-1]), names = names(coef(fit))[-1],
            axes = axes, totalPoints = unname(nom[["total.points"]]$x),
            probability = list(probability = unname(nom[["Probability HER2+"]]$x.real), points = unname(nom[["Probability HER2+"]]$x)))
writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out, "nomogram_ref.json"))
if (length(args) > 1) { png(args[2], width = 1000, height = 620, type = "cairo"); plot(nom); dev.off() }
cat("wrote", file.path(out, "nomogram_data.csv"), "and nomogram_ref.json\n")
