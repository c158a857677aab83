#!/usr/bin/env bash
# Full-size drop-folder soak (issue 12): the suite's soak test (Tests/EndToEndTests/
# WatchSoakTests.swift, 200 drops by default) at full size — N studies (default 1,000; 20 % malformed in 13 ways, a few
# duplicates) dropped while two `her2mri watch` processes (2 workers each) share one inbox, a
# worker SIGKILLed every KILL_EVERY reported studies (default 100), the second watcher SIGKILLed
# with its workers and restarted at 60 %; then every check of the suite's soak (one set of
# outputs per good study, failed/ with reasons, every input file byte-identical in archive/ +
# failed/, ledger = folders, modes 0640/0750, no patient in the JSON logs). Not part of make test.
#   tools/dropfolder/soak.sh [N=1000] [KILL_EVERY=100]
# Build the tests first (swift test -c release -j 1 --filter WatchSoakTests): the script's own
# swift test then starts at once, and its time limit is the soak's.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000}; EVERY=${2:-100}
echo "soak: $N studies, a worker killed every $EVERY; $(date -u +%H:%M:%S) UTC"
uptime
start=$(date +%s)
LOG=${SOAK_LOG:-/tmp/her2mri-soak-$N.log}
status=0
HER2MRI_SOAK_STUDIES=$N HER2MRI_SOAK_KILL_EVERY=$EVERY swift test -c release -j 1 --filter WatchSoakTests > "$LOG" 2>&1 || status=$?
grep -E "soak:|passed after|failed after|recorded an issue" "$LOG" | head -60
echo "full output: $LOG; swift test exit status $status"
echo "wall time (build included): $(( $(date +%s) - start )) s"
uptime
exit $status
