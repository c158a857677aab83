# Reference answers for Tests/BiostatisticsTests, computed by R's own packages.
#
# Rerun (Debian 12):
#   apt-get install -y --no-install-recommends r-base-core r-cran-glmnet r-cran-proc \
#       r-cran-rms r-cran-psych r-cran-jsonlite
#   Rscript tools/biostat/make_fixtures.R fixtures/biostatistics
#
# Every data set is generated here from a fixed seed and written as CSV beside its
# reference JSON, so the Swift tests read exactly the numbers R saw. Versions are recorded
# in versions.json. Nothing here is copied from the Swift code's output.
suppressMessages({
  library(glmnet); library(pROC); library(rms); library(psych); library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "fixtures/biostatistics"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
wj <- function(x, name) writeLines(toJSON(x, digits = NA, auto_unbox = TRUE, null = "null", na = "null"),
                                    file.path(out, name))
wcsv <- function(d, name) write.csv(d, file.path(out, name), row.names = FALSE, quote = FALSE)

wj(list(R = R.version.string,
        glmnet = as.character(packageVersion("glmnet")),
        pROC = as.character(packageVersion("pROC")),
        rms = as.character(packageVersion("rms")),
        psych = as.character(packageVersion("psych")),
        jsonlite = as.character(packageVersion("jsonlite"))), "versions_R.json")

# ---------------------------------------------------------------- ROC / DeLong (pROC)
set.seed(101)
n <- 240
y <- rbinom(n, 1, 0.4)
s1 <- rnorm(n) + 1.1 * y
s2 <- 0.6 * s1 + rnorm(n, sd = 0.8) + 0.3 * y
s2 <- round(s2, 1)                    # many ties
s3 <- round(runif(n) * 4)             # heavy ties, 5 distinct values
roc_df <- data.frame(y = y, s1 = round(s1, 6), s2 = s2, s3 = s3)
wcsv(roc_df, "roc.csv")
one <- function(score) {
  r <- roc(roc_df$y, roc_df[[score]], levels = c(0, 1), direction = "<", quiet = TRUE)
  v <- var(r, method = "delong")
  ci <- ci.auc(r, method = "delong")
  b <- coords(r, "best", best.method = "youden", ret = c("threshold", "sensitivity", "specificity", "ppv", "npv"),
              transpose = FALSE)
  curve <- coords(r, "all", ret = c("threshold", "specificity", "sensitivity"), transpose = FALSE)
  list(score = score, auc = as.numeric(auc(r)), variance = v, ci95 = c(ci[1], ci[3]),
       youden = list(threshold = b$threshold, sensitivity = b$sensitivity, specificity = b$specificity,
                     ppv = b$ppv, npv = b$npv),
       curve = list(threshold = curve$threshold, specificity = curve$specificity, sensitivity = curve$sensitivity))
}
tst <- function(a, b) {
  ra <- roc(roc_df$y, roc_df[[a]], levels = c(0, 1), direction = "<", quiet = TRUE)
  rb <- roc(roc_df$y, roc_df[[b]], levels = c(0, 1), direction = "<", quiet = TRUE)
  t <- roc.test(ra, rb, method = "delong", paired = TRUE)
  list(a = a, b = b, z = unname(t$statistic), p = t$p.value)
}
wj(list(models = list(one("s1"), one("s2"), one("s3")),
        tests = list(tst("s1", "s2"), tst("s1", "s3"), tst("s2", "s3"))), "roc_ref.json")

# ---------------------------------------------------------------- logistic regression (glm) + nomogram (rms)
set.seed(202)
n <- 300
a <- rnorm(n, 50, 10)
b <- rexp(n)
c <- rbinom(n, 1, 0.3)
eta <- -4 + 0.07 * a + 0.5 * b + 0.9 * c
y <- rbinom(n, 1, plogis(eta))
logit_df <- data.frame(y = y, a = round(a, 4), b = round(b, 4), c = c)
wcsv(logit_df, "logit.csv")
fit <- glm(y ~ a + b + c, family = binomial, data = logit_df,
           control = glm.control(epsilon = 1e-15, maxit = 100))
sm <- summary(fit)$coefficients
null <- glm(y ~ 1, family = binomial, data = logit_df, control = glm.control(epsilon = 1e-15, maxit = 100))
lr <- anova(null, fit, test = "LRT")
ci <- exp(confint.default(fit))
dd <- datadist(logit_df); options(datadist = "dd")
lfit <- lrm(y ~ a + b + c, data = logit_df, tol = 1e-14)
nom <- nomogram(lfit, fun = plogis, funlabel = "Probability",
                fun.at = c(0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95))
axes <- lapply(c("a", "b", "c"), function(v) list(name = v, values = nom[[v]][[v]], points = nom[[v]]$points))
tp <- nom$total.points
pv <- nom[["Probability"]]
wj(list(coefficients = lapply(seq_len(nrow(sm)), function(i)
          list(name = rownames(sm)[i], estimate = sm[i, 1], se = sm[i, 2], z = sm[i, 3], p = sm[i, 4],
               oddsRatio = exp(sm[i, 1]), ci95 = unname(ci[i, ]))),
        covariance = unname(vcov(fit)),
        deviance = deviance(fit), nullDeviance = deviance(null), aic = AIC(fit), logLik = as.numeric(logLik(fit)),
        lrTest = list(chi2 = lr$Deviance[2], df = lr$Df[2], p = lr$`Pr(>Chi)`[2]),
        nomogram = list(axes = axes, totalPoints = list(x = tp$x),
                        probability = list(points = pv$x, probability = pv$x.real),
                        lrmCoefficients = as.list(coef(lfit)))), "logit_ref.json")
# rms::calibrate (bootstrap optimism; predy and the apparent curve are deterministic, the
# optimism depends on R's random draws and is compared only in size)
cfit <- lrm(y ~ a + b + c, data = logit_df, x = TRUE, y = TRUE, tol = 1e-14)
set.seed(707)
cal <- calibrate(cfit, B = 200)
wj(list(predy = unname(cal[, "predy"]), apparent = unname(cal[, "calibrated.orig"]),
        corrected = unname(cal[, "calibrated.corrected"]), optimism = unname(cal[, "optimism"]), B = 200),
   "calibrate_ref.json")
# separation and singular designs (glm warns / aliases; the Swift code must throw)
sep <- data.frame(y = c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1), x = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
wcsv(sep, "logit_separated.csv")

# ---------------------------------------------------------------- LASSO-logistic (glmnet, thresh = 1e-20)
lasso_case <- function(name, n, p, seed, nfolds, sorted_folds = FALSE, extra = NULL, thresh = 1e-20) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p)
  x[, 2] <- x[, 2] * 5 + 3                     # different scale and offset
  if (!is.null(extra)) x <- extra(x)
  beta <- c(1.2, -0.8, 0.6, rep(0, p - 3))
  y <- rbinom(n, 1, plogis(-0.3 + drop(x %*% beta) / 2))
  colnames(x) <- sprintf("f%02d", seq_len(p))
  foldid <- if (sorted_folds) rep(seq_len(nfolds), length.out = n)[order(order(y))] else sample(rep(seq_len(nfolds), length.out = n))
  if (sorted_folds) { o <- order(y); foldid <- integer(n); foldid[o] <- sort(rep(seq_len(nfolds), length.out = n)) }
  x <- round(x, 6)
  d <- data.frame(y = y, fold = foldid, x)
  wcsv(d, paste0(name, ".csv"))
  fit <- glmnet(x, y, family = "binomial", thresh = thresh)
  cv <- cv.glmnet(x, y, family = "binomial", foldid = foldid, type.measure = "deviance", thresh = thresh)
  fixed <- c(fit$lambda[5] * 0.9, fit$lambda[20], 0.02)
  ffit <- glmnet(x, y, family = "binomial", lambda = sort(fixed, decreasing = TRUE), thresh = thresh)
  cm <- as.matrix(coef(ffit))
  wj(list(thresh = thresh, lambda = fit$lambda, a0 = unname(fit$a0), beta = unname(as.matrix(fit$beta)), dev.ratio = fit$dev.ratio,
          nulldev = fit$nulldev, df = fit$df,
          cv = list(lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd, lambda.min = cv$lambda.min, lambda.1se = cv$lambda.1se,
                    foldLambdaCounts = sapply(seq_len(nfolds), function(k)
                      length(glmnet(x[foldid != k, ], y[foldid != k], family = "binomial", thresh = thresh)$lambda))),
          fixed = list(lambda = ffit$lambda, coefficients = unname(cm), names = rownames(cm))),
     paste0(name, "_ref.json"))
}
lasso_case("lasso_tall", 150, 12, 303, 10)
lasso_case("lasso_wide", 60, 100, 304, 5)                         # n < p: path ends at 0.01 λmax
lasso_case("lasso_hard", 120, 10, 305, 6, sorted_folds = TRUE,    # held-out folds all one class
           extra = function(x) { x[, 4] <- x[, 3] * 2 + 1; x[, 5] <- 1; x },  # collinear + constant feature
           thresh = 1e-14)  # with exactly collinear columns 1e-20 hits glmnet's maxit and truncates the path

# elastic net (alpha = 0.5) on the tall data set, and cross-validation on a user λ sequence
local({
  d <- read.csv(file.path(out, "lasso_tall.csv"))
  x <- as.matrix(d[, -(1:2)]); y <- d$y
  ul <- exp(seq(log(0.2), log(0.005), length.out = 40))
  cvu <- cv.glmnet(x, y, family = "binomial", foldid = d$fold, lambda = ul, thresh = 1e-20)
  wj(list(lambda = cvu$lambda, cvm = cvu$cvm, cvsd = cvu$cvsd, lambda.min = cvu$lambda.min,
          lambda.1se = cvu$lambda.1se), "lasso_userlambda_cv_ref.json")
  en <- glmnet(x, y, family = "binomial", alpha = 0.5, thresh = 1e-20)
  wj(list(alpha = 0.5, lambda = en$lambda, a0 = unname(en$a0), beta = unname(as.matrix(en$beta))), "elasticnet_ref.json")
})

# ---------------------------------------------------------------- distributions (stats)
qs <- c(1e-10, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999)
wj(list(qnorm = list(p = qs, q = qnorm(qs)),
        pnorm = list(x = c(-38, -8, -1.5, 0, 0.7, 5), p = pnorm(c(-38, -8, -1.5, 0, 0.7, 5))),
        pt = list(t = c(-40, -2.5, 0.3, 3), df = c(3, 17.5, 1, 250), upper2 = 2 * pt(-abs(c(-40, -2.5, 0.3, 3)), c(3, 17.5, 1, 250))),
        pchisq = list(x = c(0.01, 3, 10.4, 80, 500), df = c(1, 2, 8, 40, 300),
                      upper = pchisq(c(0.01, 3, 10.4, 80, 500), c(1, 2, 8, 40, 300), lower.tail = FALSE)),
        pf = list(x = c(0.2, 1.9, 6, 65), d1 = c(3, 39, 1, 39), d2 = c(10, 40, 7.3, 39),
                  upper = pf(c(0.2, 1.9, 6, 65), c(3, 39, 1, 39), c(10, 40, 7.3, 39), lower.tail = FALSE)),
        qf = list(p = c(0.975, 0.975, 0.5, 0.999), d1 = c(39, 40, 2.5, 24), d2 = c(40, 39, 13.7, 1.8),
                  q = qf(c(0.975, 0.975, 0.5, 0.999), c(39, 40, 2.5, 24), c(40, 39, 13.7, 1.8)))),
   "distributions_ref.json")

# ---------------------------------------------------------------- ICC (psych::ICC, lmer = FALSE)
set.seed(404)
ns <- 40
icc_df <- data.frame(id = seq_len(ns))
icc_ref <- list()
for (j in 1:5) {
  truth <- rnorm(ns, 10, 2)
  noise <- c(0.3, 1, 2, 4, 0.05)[j]
  bias <- c(0, 0.5, 0, 1, 0)[j]
  r1 <- round(truth + rnorm(ns, sd = noise), 5)
  r2 <- round(truth + bias + rnorm(ns, sd = noise), 5)
  nm <- sprintf("feat%d", j)
  icc_df[[nm]] <- r1
  icc_df[[paste0(nm, "_r2")]] <- r2
  res <- ICC(cbind(r1, r2), lmer = FALSE)$results
  icc_ref[[j]] <- list(name = nm,
    icc11 = res[1, "ICC"], ci11 = c(res[1, "lower bound"], res[1, "upper bound"]),
    icc21 = res[2, "ICC"], ci21 = c(res[2, "lower bound"], res[2, "upper bound"]),
    icc31 = res[3, "ICC"], ci31 = c(res[3, "lower bound"], res[3, "upper bound"]),
    F = res[2, "F"], p = res[2, "p"])
}
icc_df$id <- NULL
wcsv(icc_df, "icc.csv")
# three raters for one feature
set.seed(405)
t3 <- rnorm(25, 5, 1)
m3 <- round(cbind(t3 + rnorm(25, sd = .5), t3 + .3 + rnorm(25, sd = .5), t3 - .2 + rnorm(25, sd = .5)), 5)
wcsv(data.frame(r1 = m3[, 1], r2 = m3[, 2], r3 = m3[, 3]), "icc3.csv")
res3 <- ICC(m3, lmer = FALSE)$results
wj(list(features = icc_ref,
        threeRaters = list(icc11 = res3[1, "ICC"], ci11 = c(res3[1, 7], res3[1, 8]),
                           icc21 = res3[2, "ICC"], ci21 = c(res3[2, 7], res3[2, 8]),
                           icc31 = res3[3, "ICC"], ci31 = c(res3[3, 7], res3[3, 8]))), "icc_ref.json")

# ---------------------------------------------------------------- calibration (rms::val.prob) + Hosmer-Lemeshow
set.seed(505)
n <- 400
lp <- rnorm(n, -0.4, 1.6)
yc <- rbinom(n, 1, plogis(lp * 0.8 + 0.2))
pc <- plogis(lp)
pc[1:3] <- c(1e-12, 1 - 1e-12, 0.5)    # extreme probabilities
pc <- signif(pc, 12)
wcsv(data.frame(y = yc, p = pc), "calibration.csv")
vp <- val.prob(pc, yc, pl = FALSE)
# Hosmer-Lemeshow exactly as ResourceSelection::hoslem.test (not packaged in Debian):
# type-7 quantile breaks, unique, right-closed cut including the lowest; chi-square over both
# outcome columns; df = g - 2.
hoslem <- function(x, yhat, g = 10) {
  qq <- unique(quantile(yhat, probs = seq(0, 1, 1/g)))
  cutyhat <- cut(yhat, breaks = qq, include.lowest = TRUE)
  observed <- xtabs(cbind(y0 = 1 - x, y1 = x) ~ cutyhat)
  expected <- xtabs(cbind(yhat0 = 1 - yhat, yhat1 = yhat) ~ cutyhat)
  chisq <- sum((observed - expected)^2 / expected)
  list(chi2 = chisq, df = g - 2, p = 1 - pchisq(chisq, g - 2))
}
sm <- lowess(pc, yc, iter = 0)
wj(list(hosmerLemeshow = hoslem(yc, pc), brier = unname(vp["Brier"]), intercept = unname(vp["Intercept"]),
        slope = unname(vp["Slope"]), eavg = unname(vp["Eavg"]), emax = unname(vp["Emax"]), e90 = unname(vp["E90"]),
        spiegelhalterZ = unname(vp["S:z"]), spiegelhalterP = unname(vp["S:p"]),
        lowess = list(x = sm$x, y = sm$y)), "calibration_ref.json")

# ---------------------------------------------------------------- group comparisons (stats)
set.seed(606)
g <- rbinom(80, 1, 0.45)
v <- round(rnorm(80, 50 + 4 * g, 8 + 4 * g))          # integer-valued: many ties
cat3 <- sample(c("I", "II", "III"), 80, replace = TRUE, prob = c(.3, .4, .3))
bin <- rbinom(80, 1, 0.3 + 0.25 * g)
wcsv(data.frame(group = g, value = v, kinetic = cat3, node = bin), "groups.csv")
tt <- t.test(v[g == 1], v[g == 0], var.equal = FALSE)
wt <- suppressWarnings(wilcox.test(v[g == 1], v[g == 0], exact = FALSE, correct = TRUE))
tab3 <- table(g, cat3); tab2 <- table(g, bin)
c3 <- chisq.test(tab3, correct = FALSE); c2 <- chisq.test(tab2, correct = FALSE); c2y <- chisq.test(tab2, correct = TRUE)
f3 <- fisher.test(tab3); f2 <- fisher.test(tab2)
wj(list(welch = list(t = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value),
        mannWhitney = list(w = unname(wt$statistic), p = wt$p.value),
        chisq2xk = list(chi2 = unname(c3$statistic), df = unname(c3$parameter), p = c3$p.value, table = unname(unclass(tab3))),
        chisq2x2 = list(chi2 = unname(c2$statistic), df = unname(c2$parameter), p = c2$p.value, table = unname(unclass(tab2))),
        chisq2x2Yates = list(chi2 = unname(c2y$statistic), p = c2y$p.value),
        fisher2xk = list(p = f3$p.value), fisher2x2 = list(p = f2$p.value)), "groups_ref.json")
cat("fixtures written to", out, "\n")
