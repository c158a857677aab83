# Reference numbers for Tests/ReportsTests/CohortMetricsTests: a seeded predictions CSV
# (three models + clinical columns) and what R's pROC and glm say about it.
# Rerun from the package root (R 4.2.2 with r-cran-proc and r-cran-jsonlite from Debian):
#   Rscript tools/reports/make_cohort_fixture.R fixtures/reports
#   tools/.venv-reports/bin/python tools/reports/make_cohort_fixture.py fixtures/reports
suppressMessages({ library(pROC); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "fixtures/reports"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
set.seed(20261201)
n <- 240
label <- rbinom(n, 1, 0.35)
age <- round(rnorm(n, 52 - 3 * label, 10))
size <- round(rlnorm(n, log(22 + 5 * label), 0.35), 1)
node <- rbinom(n, 1, 0.3 + 0.2 * label)
calc <- rbinom(n, 1, 0.4 + 0.2 * label)
kin <- sample(1:3, n, replace = TRUE)
kin[label == 1] <- sample(1:3, sum(label), replace = TRUE, prob = c(.2, .35, .45))
edema <- rbinom(n, 1, 0.25 + 0.2 * label)
centre <- sample(c("A", "B", "C", "D"), n, replace = TRUE)
clin_lp <- -0.6 + 0.8 * node + 0.5 * calc + 0.03 * (size - 25) + 0.6 * (label - 0.35) + rnorm(n, 0, 0.9)
deep_lp <- -0.7 + 1.9 * label + rnorm(n, 0, 1.0)
comb_lp <- 0.6 * clin_lp + 0.9 * deep_lp + rnorm(n, 0, 0.3)
p <- function(lp) round(1 / (1 + exp(-lp)), 6)
d <- data.frame(id = sprintf("P%04d", 1:n), label = label, clinical = p(clin_lp), deep = p(deep_lp), combined = p(comb_lp),
                age = age, tumourSizeMm = size, lymphNodeInvolvement = node, microcalcifications = calc,
                kineticType = kin, peritumoralEdema = edema, centre = centre)
d$deep[c(3, 4)] <- d$deep[5]  # ties
write.csv(d, file.path(out, "cohort_predictions.csv"), row.names = FALSE, quote = FALSE)

hoslem <- function(x, yhat, g = 10) {  # ResourceSelection::hoslem.test (not in Debian)
  qq <- unique(quantile(yhat, probs = seq(0, 1, 1/g)))
  cutyhat <- cut(yhat, breaks = qq, include.lowest = TRUE)
  observed <- xtabs(cbind(y0 = 1 - x, y1 = x) ~ cutyhat)
  expected <- xtabs(cbind(yhat0 = 1 - yhat, yhat1 = yhat) ~ cutyhat)
  chisq <- sum((observed - expected)^2 / expected)
  list(chi2 = chisq, df = g - 2, p = 1 - pchisq(chisq, g - 2))
}
models <- c("clinical", "deep", "combined")
rocs <- lapply(models, function(m) roc(d$label, d[[m]], direction = "<", levels = c(0, 1), quiet = TRUE))
names(rocs) <- models
res <- list(versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC"))), models = list(), delong = list())
for (m in models) {
  r <- rocs[[m]]
  ci <- ci.auc(r, method = "delong")
  yd <- coords(r, "best", best.method = "youden", ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  yd <- yd[order(yd$threshold), ][1, ]
  fit <- glm(d$label ~ qlogis(d[[m]]), family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  res$models[[m]] <- list(auc = as.numeric(auc(r)), variance = var(r, method = "delong"),
                          ciLower = ci[1], ciUpper = ci[3],
                          youden = list(threshold = yd$threshold, sensitivity = yd$sensitivity, specificity = yd$specificity),
                          brier = mean((d[[m]] - d$label)^2), intercept = unname(coef(fit)[1]), slope = unname(coef(fit)[2]),
                          hosmerLemeshow = hoslem(d$label, d[[m]]))
}
for (i in 1:2) for (j in (i + 1):3) {
  t <- roc.test(rocs[[i]], rocs[[j]], method = "delong")
  res$delong[[length(res$delong) + 1]] <- list(a = models[i], b = models[j], z = unname(t$statistic), p = t$p.value)
}
# Table 1 tests
res$table1 <- list(
  age = t.test(age[label == 1], age[label == 0])$p.value,
  tumourSizeMm = suppressWarnings(wilcox.test(size[label == 1], size[label == 0], exact = FALSE, correct = TRUE))$p.value,
  lymphNodeInvolvement = chisq.test(table(label, node), correct = FALSE)$p.value,
  kineticType = chisq.test(table(label, kin), correct = FALSE)$p.value,
  centre = chisq.test(table(label, centre), correct = FALSE)$p.value)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out, "cohort_ref_R.json"))
cat("wrote", file.path(out, "cohort_predictions.csv"), "and cohort_ref_R.json\n")
