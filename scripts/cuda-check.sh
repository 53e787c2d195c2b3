#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: runs the model on CUDA and on CPU with the same seeds and prints how they
# compare (the images, the model card's measures, the time), then the case study on CUDA.
# Needs the .NET SDK, an NVIDIA driver, the CUDA 13 libraries and cuDNN 9; set CUDA_LIBS to the folders
# (colon-separated) holding libcudart.so.13, libcublas.so.13, libcublasLt.so.13, libcurand.so.10 and
# libcudnn.so.9 when they are not on the default library path (pip's nvidia-* wheels put them under
# site-packages/nvidia/*/lib).
# Usage: scripts/cuda-check.sh [output folder, default results/cuda-check]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/results/cuda-check}"
mkdir -p "$out"
if [[ -n "${CUDA_LIBS:-}" ]]; then
  export LD_LIBRARY_PATH="$CUDA_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
export MEG_CUDA=1
meg="$root/meg"
nvidia-smi -L || echo "nvidia-smi found no GPU; expect the CPU fallback below." >&2
sketch="$root/models/meg-tiny/eval/020_sketch.png"
prompt="a big orange star in the center on a white background"
status=0
for provider in cuda cpu; do
  TIMEFORMAT="generate on $provider: %R s wall"
  time "$meg" generate --provider $provider --prompt "$prompt" --sketch "$sketch" --seed 7 --out "$out/generate-$provider.png" || status=1
done
for provider in cuda cpu; do
  TIMEFORMAT="eval-model on $provider: %R s wall"
  time "$meg" eval-model --provider $provider --out "$out/eval-$provider" || status=1
done
TIMEFORMAT="experiment on cuda: %R s wall"
time "$meg" experiment --provider cuda --out "$out/experiment-cuda" || status=1
echo "Compare $out/generate-cuda.png with generate-cpu.png, eval-cuda/ with eval-cpu/, and experiment-cuda/results.csv with ./run.sh's."
exit $status
