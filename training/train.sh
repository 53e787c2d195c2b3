#!/usr/bin/env bash
# Retrains meg-tiny from scratch (resumable) and writes models/meg-tiny/.
# Usage: training/train.sh [stages...] [--minutes vae=16,clip=8,unet=58,bind=55,robust=4,cliphead=30] [--scale 1.0]
#        (no arguments = all stages: data tokenizer vae clip unet bind robust cliphead export eval)
# Uses Debian's python3 and packages (not a pyenv python): installs them when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS="python3-torch python3-onnx python3-numpy python3-pil libopenblas0-openmp"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y $missing
fi
mkdir -p training/runs
if [ $# -eq 0 ]; then set -- all; fi
/usr/bin/python3 -m training.train "$@" 2>&1 | tee -a training/runs/train.out
