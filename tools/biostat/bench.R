# Writes a seeded LASSO benchmark data set and times glmnet on it (see bench.sh).
# Usage: Rscript tools/biostat/bench.R <folder> <n> <p> [roc] [reuse]
# Prints one line per measurement, "key=value" fields, for bench.sh to read:
#   R path ... / R cv ... (glmnet's default thresh 1e-7, the fold ids written beside the data);
#   with "roc", also pROC's roc + ci.auc(delong) on 100,000 subjects; with "reuse", only cv.glmnet
#   again on the data already in <folder>.
suppressMessages({ library(glmnet) })
a <- commandArgs(trailingOnly = TRUE)
dir <- a[1]; n <- as.integer(a[2]); p <- as.integer(a[3])
reuse <- "reuse" %in% a[-(1:3)]
if (reuse) {   # time cv.glmnet again on the data written before (bench.sh's side-by-side run)
  x <- t(matrix(readBin(file.path(dir, "x.bin"), "double", n * p, size = 8, endian = "little"), p, n))
  y <- as.numeric(readLines(file.path(dir, "y.txt"))); foldid <- as.integer(readLines(file.path(dir, "fold.txt")))
} else {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  set.seed(2024)
  x <- matrix(rnorm(n * p), n, p)
  beta <- c(rnorm(20, 0, 0.5), rep(0, p - 20))
  y <- rbinom(n, 1, plogis(drop(x %*% beta)))
  foldid <- sample(rep(1:10, length.out = n))
  writeBin(as.vector(t(x)), file.path(dir, "x.bin"), size = 8, endian = "little")
  writeLines(as.character(y), file.path(dir, "y.txt"))
  writeLines(as.character(foldid), file.path(dir, "fold.txt"))
  writeLines(as.character(c(n, p)), file.path(dir, "dims.txt"))
}
cpu <- function(t) t[["user.self"]] + t[["sys.self"]]
if (!reuse) {
  tp <- system.time(fit <- glmnet(x, y, family = "binomial"))
  cat(sprintf("R path n=%d p=%d wall=%.3f cpu=%.3f lambdas=%d\n", n, p, tp[["elapsed"]], cpu(tp), length(fit$lambda)))
}
tc <- system.time(cv <- cv.glmnet(x, y, family = "binomial", foldid = foldid))
cat(sprintf("R cv n=%d p=%d wall=%.3f cpu=%.3f lambdas=%d lambda.min=%.10g lambda.1se=%.10g glmnet=%s run=%s\n",
            n, p, tc[["elapsed"]], cpu(tc), length(cv$lambda), cv$lambda.min, cv$lambda.1se, packageVersion("glmnet"),
            if (reuse) "side-by-side" else "alone"))
if ("roc" %in% a[-(1:3)]) {
  suppressMessages(library(pROC))
  m <- 100000
  set.seed(1)
  lab <- rbinom(m, 1, 0.4); sc <- lab + 1.5 * runif(m)
  tr <- system.time({ r <- roc(lab, sc, direction = "<", quiet = TRUE); ci <- ci.auc(r, method = "delong") })[["elapsed"]]
  cat(sprintf("R roc n=%d wall=%.3f auc=%.4f\n", m, tr, as.numeric(auc(r))))
}
