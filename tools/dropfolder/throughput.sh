#!/usr/bin/env bash
# Drop-folder throughput (issue 12): studies per hour of `her2mri watch --once` with 1 and 2
# workers and the real predict (EfficientNet-B0 demonstration model, standard-size synthetic
# studies), and the watcher's own overhead per study (claim, content hash, ledger, moves) with a
# no-op stand-in for predict. "real-2-unshared" runs 2 workers as the watcher did before it gave
# each worker `--threads cores/workers` and OMP_WAIT_POLICY=PASSIVE. Prints the load average with every figure; not part of make test.
#   tools/dropfolder/throughput.sh [STUDIES_REAL=12] [STUDIES_NOOP=200] [WORKDIR]
source "$(dirname "$0")/common.sh"
REAL=${1:-12}; NOOP=${2:-200}
W=${3:-$(mktemp -d /tmp/her2mri-throughput.XXXX)}
echo "work folder: $W"
make_model "$W"

run() {  # run LABEL N WORKERS [extra watch options…]: N drops, one `watch --once`, prints the figures
  local label=$1 n=$2 workers=$3; shift 3
  local site="$W/$label"
  rm -rf "$site"; mkdir -p "$site/inbox" "$site/outbox"; chmod 750 "$site/outbox"
  for i in $(seq 1 "$n"); do make_drop "$W/cohort" "$site/inbox/s$i" "$i"; done
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  # CPU seconds of the watcher and every child it waited for (user + system).
  /usr/bin/time -f "%e %U %S" -o "$site/time.txt" \
    "$BIN" watch --inbox "$site/inbox" --outbox "$site/outbox" --work "$site/work" --model "$W/model/model.json" \
    --workers "$workers" --settle 0 --once --log "$site/watch.log" "$@"
  local reported
  reported=$(ls "$site/outbox" | wc -l)
  [ "$reported" -eq "$n" ] || { echo "$label: only $reported of $n reported" >&2; exit 1; }
  read -r wall user sys < "$site/time.txt"
  awk -v l="$label" -v n="$n" -v t="$wall" -v cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" -v w="$workers" -v load="$load" 'BEGIN {
    printf "%-16s %4d studies, %d worker(s): %8.2f s wall, %7.1f ms/study wall, %7.1f ms/study CPU, %7.0f studies/hour  (load before: %s)\n",
      l, n, w, t, 1000 * t / n, 1000 * cpu / n, 3600 * n / t, load }'
  LAST_CPU_MS=$(awk -v u="$user" -v s="$sys" -v n="$n" 'BEGIN { printf "%.1f", 1000 * (u + s) / n }')
}

# The no-op stand-in: what predict's outputs look like to the watcher, nothing computed.
NOOP_CMD="$W/noop-predict.sh"
cat > "$NOOP_CMD" <<'SH'
#!/bin/sh
mkdir -p "$2" && echo '{}' > "$2/prediction.json" && echo '{"seconds": {}}' > "$2/provenance.json"
SH
chmod +x "$NOOP_CMD"
/usr/bin/time -f "%e %U %S" -o "$W/standin-time.txt" bash -c "for i in \$(seq 1 200); do '$NOOP_CMD' x '$W/noop-out' y; done"
read -r s_wall s_user s_sys < "$W/standin-time.txt"
standin_wall=$(awk -v t="$s_wall" 'BEGIN { printf "%.1f", 1000 * t / 200 }')
standin_cpu=$(awk -v u="$s_user" -v s="$s_sys" 'BEGIN { printf "%.1f", 1000 * (u + s) / 200 }')
uptime
run noop-1-worker "$NOOP" 1 --worker-command "$NOOP_CMD"
echo "  the stand-in alone (spawn, mkdir, two small files), 200 runs: $standin_wall ms wall, $standin_cpu ms CPU per run"
echo "  => the watcher's own CPU per study (claim, content hash of ~4 MB, ledger, moves, log): $(awk -v a="$LAST_CPU_MS" -v b="$standin_cpu" 'BEGIN { printf "%.1f", a - b }') ms"
# What the watcher did before it shared the cores: predict's OpenMP team as wide as the machine
# in every worker, its idle threads spinning (for comparison in the same run).
UNSHARED_CMD="$W/unshared-predict.sh"
cat > "$UNSHARED_CMD" <<SH
#!/bin/sh
unset OMP_WAIT_POLICY
exec "$BIN" predict "\$1" --model "\$3" --out "\$2"
SH
chmod +x "$UNSHARED_CMD"
run real-1-worker "$REAL" 1
run real-2-workers "$REAL" 2
run real-2-unshared "$REAL" 2 --worker-command "$UNSHARED_CMD"
uptime
