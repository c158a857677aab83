#!/bin/sh
# Lesion measures against the generator's truth on a synthetic cohort of N studies (seed S):
# diameter within 10 %, kinetic type, oedema, automatic-mask Dice; prints one line per study
# and the summary. The CI test (LesionMeasuresTests/smallCohortAgainstTruth) runs 8 studies.
# Usage: tools/lesion_measures.sh [N=100] [SEED=101]      (release build; minutes for 100)
set -e
cd "$(dirname "$0")/.."
N=${1:-100}
SEED=${2:-101}
uptime
HER2MRI_LESION_COHORT=$N HER2MRI_LESION_SEED=$SEED \
    swift test -c release -j 1 --filter 'LesionMeasuresTests/largeCohortWhenAsked' 2>&1 \
    | grep -v '^\[' | sed -n '/LESION COHORT/,$p'
uptime
