#!/bin/bash
# Fetches dcm2niix's validation repositories (BSD 2-Clause, Chris Rorden et al.) into a folder
# OUTSIDE this repository, for tools/convert/compare_with_dcm2niix.py. Nothing from them is
# committed here. Large files of some repositories live in Git LFS: install git-lfs to get them
# (without it those series are simply absent from the comparison).
#   tools/convert/fetch_dcm_qa.sh /tmp/dcm_qa
set -euo pipefail
dest=${1:?usage: fetch_dcm_qa.sh DEST_FOLDER}
mkdir -p "$dest"
for repo in dcm_qa dcm_qa_ge dcm_qa_enh dcm_qa_12bit dcm_qa_sag dcm_qa_nih; do
  if [ -d "$dest/$repo/.git" ]; then
    git -C "$dest/$repo" pull --ff-only
  else
    git clone --depth 1 "https://github.com/neurolabusc/$repo.git" "$dest/$repo"
  fi
done
echo "then: tools/convert/compare_with_dcm2niix.py --her2mri .build/release/her2mri --work /tmp/convert-peer $dest/*/In"
