#!/usr/bin/env bash
# Memory of a long-running watcher (issue 12: "memory stays flat over days"): one `her2mri watch`
# (2 workers) takes WAVES waves of PER_WAVE studies (default 20 × 150 = 3,000 studies, about what
# 2 workers report in 24 hours at ~60 s per clinical-size study) with a no-op stand-in for
# predict, so only the watcher's own work (listing, settling, claims, hashes, ledger, moves,
# logs) is repeated; its RSS is read after every wave. Not part of make test.
#   tools/dropfolder/rss.sh [WAVES=20] [PER_WAVE=150] [WORKDIR]
source "$(dirname "$0")/common.sh"
WAVES=${1:-20}; PER=${2:-150}
W=${3:-$(mktemp -d /tmp/her2mri-rss.XXXX)}
echo "work folder: $W"
rm -rf "$W/site"; mkdir -p "$W/site/inbox" "$W/site/outbox" "$W/tpl"; chmod 750 "$W/site/outbox"
# Small studies (three 64 kB files): the stand-in never reads them; the watcher hashes them.
for f in a b c; do head -c 65536 /dev/urandom > "$W/tpl/$f.dcm"; done
echo '{}' > "$W/model.json"
NOOP_CMD="$W/noop-predict.sh"
cat > "$NOOP_CMD" <<'SH'
#!/bin/sh
mkdir -p "$2" && echo '{}' > "$2/prediction.json" && echo '{"seconds": {}}' > "$2/provenance.json"
SH
chmod +x "$NOOP_CMD"

uptime
"$BIN" watch --inbox "$W/site/inbox" --outbox "$W/site/outbox" --work "$W/site/work" --model "$W/model.json" \
  --workers 2 --settle 0.2 --log "$W/site/watch.log" --worker-command "$NOOP_CMD" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
sleep 1
printf "%6s %9s %9s %s\n" wave studies "RSS kB" "load"
printf "%6s %9s %9s %s\n" 0 0 "$(rss_kb $PID)" "$(cut -d' ' -f1-3 /proc/loadavg)"
n=0
for wave in $(seq 1 "$WAVES"); do
  for i in $(seq 1 "$PER"); do
    n=$((n + 1)); d="$W/site/inbox/.s$n"
    mkdir "$d"; cp "$W/tpl/"*.dcm "$d/"; echo "$n" > "$d/id.txt"; touch "$d/READY"; mv "$d" "$W/site/inbox/s$n"
  done
  while [ "$(ls "$W/site/inbox" | wc -l)" -gt 0 ] || [ "$(ls "$W/site/work/processing" | wc -l)" -gt 0 ]; do sleep 0.2; done
  printf "%6s %9s %9s %s\n" "$wave" "$n" "$(rss_kb $PID)" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
kill -TERM $PID; wait $PID; trap - EXIT
echo "reported: $(ls "$W/site/outbox" | wc -l) of $n; watcher exit status after SIGTERM: 0"
"$BIN" status --work "$W/site/work"
uptime
