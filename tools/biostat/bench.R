# Writes a seeded LASSO benchmark data set and times R on it (see bench.sh).
# Usage: Rscript tools/biostat/bench.R <folder> <n> <p>
suppressMessages({ library(glmnet); library(pROC) })
a <- commandArgs(trailingOnly = TRUE)
dir <- a[1]; n <- as.integer(a[2]); p <- as.integer(a[3])
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
cpu <- function(t) t[["user.self"]] + t[["sys.self"]]
tp <- system.time(fit <- glmnet(x, y, family = "binomial"))
tc <- system.time(cv <- cv.glmnet(x, y, family = "binomial", foldid = foldid))
cat(sprintf("R      n=%d p=%d  path %.2f s (CPU %.2f s, %d lambdas)  cv 10 folds %.2f s (CPU %.2f s)  lambda.min %.6g  lambda.1se %.6g   (glmnet %s, 1 thread)\n",
            n, p, tp[["elapsed"]], cpu(tp), length(fit$lambda), tc[["elapsed"]], cpu(tc), cv$lambda.min, cv$lambda.1se, packageVersion("glmnet")))
m <- 100000
set.seed(1)
lab <- rbinom(m, 1, 0.4); sc <- lab + 1.5 * runif(m)
tr <- system.time({ r <- roc(lab, sc, direction = "<", quiet = TRUE); ci <- ci.auc(r, method = "delong") })[["elapsed"]]
cat(sprintf("R      pROC roc + ci.auc(delong), n=%d: %.3f s (auc %.4f)\n", m, tr, as.numeric(auc(r))))
