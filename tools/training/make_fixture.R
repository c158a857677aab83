#!/usr/bin/env Rscript
# Reference for Tests/HER2ModelTests/TrainingReferenceTests.swift: a small feature table and
# what R's reference packages make of it, step by step as Trainer does it.
#
# Rerun (from the package root): Rscript tools/training/make_fixture.R
#   needs r-base-core r-cran-glmnet r-cran-proc r-cran-jsonlite (Debian; R 4.2.2, glmnet 4.1-6, pROC 1.18.0)
# Writes fixtures/training/features.csv (the table, FAKE deep columns: a hidden latent factor of
# the true HER2 logit plus noise — test data, not features of any image) and
# fixtures/training/reference.json.
suppressMessages({ library(glmnet); library(pROC); library(jsonlite) })
set.seed(20261201)
n <- 160
sig <- function(x) signif(x, 6)   # 6 significant digits: the CSV holds the values exactly
size <- sig(runif(n, 10, 50)); kinetic <- sample(1:3, n, TRUE)
oedema <- rbinom(n, 1, 0.35); node <- rbinom(n, 1, 0.4); micro <- rbinom(n, 1, 0.3)
age <- round(runif(n, 30, 80)); latent <- rnorm(n)
her2 <- rbinom(n, 1, plogis(-1 + 0.04 * (size - 25) + 0.5 * (kinetic - 2) + 0.8 * oedema + 1.5 * latent))
centre <- rep(c("A", "B", "C", "D"), length.out = n)
ids <- sprintf("S%04d", seq_len(n))
r1 <- list(); r2 <- list()
for (k in 1:3) { v <- sig(latent + 0.5 * rnorm(n)); r1[[sprintf("fake.informative.f%d", k - 1)]] <- v; r2[[sprintf("fake.informative.f%d", k - 1)]] <- sig(v + 0.05 * rnorm(n)) }
for (k in 1:8) { v <- sig(10 + 3 * rnorm(n)); r1[[sprintf("fake.noise.f%d", k - 1)]] <- v; r2[[sprintf("fake.noise.f%d", k - 1)]] <- sig(v + 0.05 * rnorm(n)) }
for (k in 1:2) { r1[[sprintf("fake.unstable.f%d", k - 1)]] <- sig(latent + 0.3 * rnorm(n)); r2[[sprintf("fake.unstable.f%d", k - 1)]] <- sig(2 * rnorm(n)) }
F1 <- as.data.frame(r1); F2 <- as.data.frame(r2)
fixed <- function(reader) data.frame(studyId = ids, reader = reader, her2 = her2, centre = centre, age = age,
  lymphNodeInvolvement = node, microcalcifications = micro, tumourSizeMm = size, kineticType = kinetic, peritumoralEdema = oedema)
tab <- rbind(cbind(fixed(1), F1), cbind(fixed(2), F2))
tab <- tab[order(tab$studyId, tab$reader), ]
write.csv(tab, "fixtures/training/features.csv", row.names = FALSE, quote = FALSE)

train <- centre != "D"; val <- centre == "D"
y <- her2[train]
# ICC(2,1), two-way random, absolute agreement (Shrout & Fleiss 1979), from the mean squares.
icc21 <- sapply(names(F1), function(f) {
  x <- cbind(F1[[f]][train], F2[[f]][train]); nn <- nrow(x); k <- 2; g <- mean(x)
  ssr <- k * sum((rowMeans(x) - g)^2); ssc <- nn * sum((colMeans(x) - g)^2); sse <- sum((x - g)^2) - ssr - ssc
  msr <- ssr / (nn - 1); msc <- ssc / (k - 1); mse <- sse / ((nn - 1) * (k - 1))
  (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / nn)
})
kept <- names(F1)[icc21 >= 0.9]
X <- as.matrix(F1[train, kept]); mu <- colMeans(X); s <- apply(X, 2, sd)
Z <- scale(X, center = mu, scale = s)
foldid <- sample(rep(1:10, length.out = sum(train)))
cv <- cv.glmnet(Z, y, family = "binomial", foldid = foldid, type.measure = "deviance", thresh = 1e-20)
b <- as.vector(coef(cv, s = "lambda.1se"))
rad <- function(rows) { Zr <- scale(as.matrix(F1[rows, kept]), center = mu, scale = s); as.vector(b[1] + Zr %*% b[-1]) }
d <- data.frame(her2 = her2, radScore = NA, tumourSizeMm = size, kineticType = kinetic, peritumoralEdema = oedema,
                lymphNodeInvolvement = node, microcalcifications = micro, age = age)
d$radScore[train] <- rad(train); d$radScore[val] <- rad(val)
dt <- d[train, ]; dv <- d[val, ]
clin <- her2 ~ tumourSizeMm + kineticType + peritumoralEdema + lymphNodeInvolvement + microcalcifications + age
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
m_clin <- glm(clin, binomial, dt, control = ctl)
m_deep <- glm(her2 ~ radScore, binomial, dt, control = ctl)
m_comb <- glm(update(clin, . ~ radScore + .), binomial, dt, control = ctl)
aucs <- function(data) {
  rc <- roc(data$her2, predict(m_clin, data), direction = "<", levels = c(0, 1), quiet = TRUE)
  rd <- roc(data$her2, predict(m_deep, data), direction = "<", levels = c(0, 1), quiet = TRUE)
  rm <- roc(data$her2, predict(m_comb, data), direction = "<", levels = c(0, 1), quiet = TRUE)
  a <- function(r) list(auc = as.numeric(auc(r)), ci95 = as.numeric(ci.auc(r, method = "delong"))[c(1, 3)])
  t <- roc.test(rm, rc, method = "delong", paired = TRUE)
  list(n = nrow(data), models = list(clinical = a(rc), deep = a(rd), combined = a(rm)),
       delong = list(z = unname(t$statistic), p = t$p.value))
}
ptrain <- predict(m_comb, dt, type = "response")
best <- coords(roc(dt$her2, ptrain, direction = "<", levels = c(0, 1), quiet = TRUE), "best", best.method = "youden",
               ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
pv <- predict(m_comb, dv, type = "link", se.fit = TRUE)
ref <- list(
  generator = list(R = R.version.string, glmnet = as.character(packageVersion("glmnet")), pROC = as.character(packageVersion("pROC"))),
  foldIDs = foldid, icc21 = as.list(icc21), kept = kept, means = as.list(mu), sds = as.list(s),
  lambdaMin = cv$lambda.min, lambda1se = cv$lambda.1se,
  radScore = list(intercept = b[1], coefficients = as.list(setNames(b[-1], kept))),
  clinical = list(coef = unname(coef(m_clin)), vcov = unname(vcov(m_clin))),
  deep = list(coef = unname(coef(m_deep)), vcov = unname(vcov(m_deep))),
  combined = list(coef = unname(coef(m_comb)), vcov = unname(vcov(m_comb))),
  threshold = list(probability = best$threshold[1], sensitivity = best$sensitivity[1], specificity = best$specificity[1]),
  training = aucs(dt), validation = aucs(dv),
  validationStudies = ids[val],
  validationCI = list(lower = unname(plogis(pv$fit - qnorm(0.975) * pv$se.fit)), upper = unname(plogis(pv$fit + qnorm(0.975) * pv$se.fit)),
                      probability = unname(plogis(pv$fit))))
writeLines(toJSON(ref, digits = NA, auto_unbox = TRUE, pretty = TRUE), "fixtures/training/reference.json")
cat("wrote fixtures/training/features.csv and reference.json; kept", length(kept), "features, selected", sum(b[-1] != 0), "\n")
