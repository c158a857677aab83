#!/usr/bin/env bash
# JPEG 2000 lossless decoding speed: ImageIO's decoder (OpenJPEG from memory through
# JPEG2000Decoder) against Debian's opj_decompress, on the same frames, in the same run.
# A benchmark, not a test: it prints figures and asserts nothing.
#
#   tools/bench_j2k.sh                      6 phases x 160 slices of 512x512, 12-bit
#   PHASES=1 SLICES=10 tools/bench_j2k.sh   a quick look
#
# Needs opj_compress / opj_decompress (Debian libopenjp2-tools; installed here when missing).
# MB/s counts decoded output (512 x 512 x 2 bytes per frame, 1 MB = 10^6 bytes). opj_decompress
# runs in batch mode (-ImgDir, one process) writing RAW files next to its inputs; its wall time
# includes that write, so its own "decode time" (mean per image, times the frames) is shown too. Both run at 1 and
# at 2 threads (OPJ_NUM_THREADS for ours, -threads for opj_decompress).
set -euo pipefail
cd "$(dirname "$0")/.."
PHASES=${PHASES:-6}
SLICES=${SLICES:-160}
SIZE=512
WORK=$(mktemp -d "${TMPDIR:-/tmp}/her2mri-bench-j2k.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if ! command -v opj_decompress >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get install -y -qq --no-install-recommends libopenjp2-tools >/dev/null
fi

swift build -c release --product CodecBench >/dev/null
BIN="$(swift build -c release --show-bin-path)/CodecBench"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared machine: figures are noisy, compare the ratios)"
"$BIN" generate "$WORK/pgm" "$PHASES" "$SLICES" "$SIZE"
mkdir -p "$WORK/j2k"
opj_compress -ImgDir "$WORK/pgm" -OutFor j2k -threads ALL_CPUS >/dev/null 2>&1 || true
mv "$WORK"/pgm/*.j2k "$WORK/j2k/" 2>/dev/null || true
frames=$(ls "$WORK/j2k" | wc -l)
if [ "$frames" -ne $((PHASES * SLICES)) ]; then
  echo "opj_compress made $frames of $((PHASES * SLICES)) frames" >&2
  exit 1
fi
rm -rf "$WORK/pgm"
mb=$(awk -v f="$frames" -v s="$SIZE" 'BEGIN { printf "%.1f", f * s * s * 2 / 1e6 }')
echo "series: $PHASES phases x $SLICES slices of ${SIZE}x${SIZE}, 12-bit, JPEG 2000 lossless (opj_compress defaults): $frames frames, $(du -sm "$WORK/j2k" | cut -f1) MB compressed, $mb MB decoded"

now() { date +%s.%N; }
for threads in 1 2; do
  best_ours=0; best_opj=0; best_opj_decode=0
  for round in 1 2; do
    line=$(OPJ_NUM_THREADS=$threads "$BIN" decode "$WORK/j2k")
    ours=$(echo "$line" | sed -E 's/.*= ([0-9.]+) MB\/s.*/\1/')
    rm -rf "$WORK/opj" && cp -r "$WORK/j2k" "$WORK/opj"
    t0=$(now)
    opj_decompress -ImgDir "$WORK/opj" -OutFor RAW -threads "$threads" > "$WORK/opj.log" 2>&1
    t1=$(now)
    opj=$(awk -v mb="$mb" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", mb / (b - a) }')
    # opj_decompress prints one "decode time" at the end: the mean per image, in ms.
    decode_ms=$(grep -Eo 'decode time: [0-9.]+' "$WORK/opj.log" | tail -1 | awk -v f="$frames" '{ print $3 * f }')
    opj_decode=$(awk -v mb="$mb" -v ms="$decode_ms" 'BEGIN { printf "%.1f", mb / (ms / 1000) }')
    echo "threads $threads round $round: $line"
    echo "threads $threads round $round: opj_decompress: wall $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s = $opj MB/s; its decode time ${decode_ms} ms (mean per image x frames) = $opj_decode MB/s"
    best_ours=$(awk -v a="$best_ours" -v b="$ours" 'BEGIN { print (b > a ? b : a) }')
    best_opj=$(awk -v a="$best_opj" -v b="$opj" 'BEGIN { print (b > a ? b : a) }')
    best_opj_decode=$(awk -v a="$best_opj_decode" -v b="$opj_decode" 'BEGIN { print (b > a ? b : a) }')
  done
  echo "threads $threads best: ours $best_ours MB/s, opj_decompress $best_opj MB/s (wall) / $best_opj_decode MB/s (decode only); ratio $(awk -v a="$best_ours" -v b="$best_opj" 'BEGIN { printf "%.2f", a / b }') (wall), $(awk -v a="$best_ours" -v b="$best_opj_decode" 'BEGIN { printf "%.2f", a / b }') (decode only); target >= 0.8"
done
