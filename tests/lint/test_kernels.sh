#!/usr/bin/env bash
# Every kernels/*.cl compiles without a warning, with clang -Wall -Wextra
# -Werror, in the configurations the host builds it in (host/engine/
# backend_opencl.c): pocl on a CPU (clang 15, pocl's own compiler; its
# -Dinline=, double accumulation, 8192-column chunks) for an AVX2 and an
# AVX-512 target, whatever this machine has; the GPU's (float accumulation,
# 2048-column chunks, an NVIDIA PTX target); and the merge algorithm and the
# exact-products variant that --kernel-defines selects.  pocl prints the
# compiler's "N warnings generated." on stderr at every cold build, so a
# warning here is a noisy first run for users.
set -euo pipefail
SRC=${TS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLANG=${CLANG:-clang-15}
if ! command -v "$CLANG" >/dev/null 2>&1; then
  echo "test_kernels: $CLANG not found (scripts/bootstrap installs clang-15)" >&2
  exit 1
fi
cpu="--target=x86_64-pc-linux-gnu -c -Dinline= -Dcl_khr_fp64=1 -DTS_ACCUM_DOUBLE=1 -DTS_CHUNK=8192 -DTS_PAIRS_CHUNK=8192"
gpu="--target=nvptx64-nvidia-nvcl -S -DTS_CHUNK=2048 -DTS_PAIRS_CHUNK=2048"
configs=(
  "pocl-avx2|$cpu -march=x86-64-v3"
  "pocl-avx512|$cpu -march=skylake-avx512"
  "pocl-merge|$cpu -march=x86-64-v3 -DTS_ALGO=2"
  "gpu|$gpu"
  "gpu-merge|$gpu -DTS_ALGO=2"
  "gpu-exact|$gpu -DTS_EXACT_PRODUCTS=1"
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for kernel in "$SRC"/kernels/*.cl; do
  for entry in "${configs[@]}"; do
    name=${entry%%|*} flags=${entry#*|}
    n=$((n + 1))
    # shellcheck disable=SC2086
    if ! "$CLANG" -x cl -cl-std=CL1.2 -Xclang -finclude-default-header -O2 -Wall -Wextra \
        -Werror $flags -o "$tmp/out" "$kernel" 2>"$tmp/log"; then
      echo "FAIL $(basename "$kernel") [$name]: $flags"
      cat "$tmp/log"
      fail=1
    fi
  done
done
# The check can fail: a kernel with an unused parameter must be refused.
printf '__kernel void probe(__global float *out, uint unused) { out[0] = 1.0f; }\n' >"$tmp/probe.cl"
if "$CLANG" -x cl -cl-std=CL1.2 -Xclang -finclude-default-header -Wall -Wextra -Werror \
    -fsyntax-only "$tmp/probe.cl" 2>/dev/null; then
  echo "FAIL: the probe's warning was not caught: the check cannot fail"
  fail=1
fi
echo "$n kernel builds checked"
exit $fail
