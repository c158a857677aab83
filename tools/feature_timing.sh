#!/bin/sh
# Seconds per stage of the feature extraction of one synthetic study (124×124×32-ish grids),
# all four backbones on seeded weights, 2 threads, release build: three runs after a warm-up.
# Usage: tools/feature_timing.sh
set -e
cd "$(dirname "$0")/.."
uptime
HER2MRI_FEATURE_TIMING=1 swift test -c release -j 1 --filter 'FeatureExtractionTests/timingPerBackboneWhenAsked' 2>&1 \
    | grep 'FEATURE TIMING'
uptime
