# textsim-mpi: `mpirun -np 2` and `-np 3` (oversubscribed, each rank on pocl
# with one thread) write the same bytes as one textsim process, for pairs
# (top-k, threshold, cross-source, with text), matrix (CSV, .npy) and search
# (top-k, threshold, with text, against an index of MSRP sentences), on a
# seeded random corpus, the example corpus and MSRP sentences, with both
# schedules (and the default); and a rank that fails (bad input, no device,
# a device error in the middle of the run on any rank, another index file
# than rank 0's) ends the job with its own message, a non-zero exit and no
# output at the final paths.
source "$(dirname "$0")/../cli/lib.sh"
: "${TEXTSIM_MPI:?set TEXTSIM_MPI to the textsim-mpi binary}"
: "${TEXTSIM_BENCH:?set TEXTSIM_BENCH to the textsim-bench binary}"
set -e

# Open MPI refuses root unless told; CI containers run as root.  Shared
# memory without the ptrace-based single copy, which containers forbid.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export POCL_MAX_PTHREAD_COUNT=1
export POCL_CACHE_DIR=$WORK/pocl-cache
mkdir -p "$POCL_CACHE_DIR"

# mpi NP ARGS...: textsim-mpi on NP ranks; $rc, $err as run() sets them.
# TEXTSIM_MPI_FAULT, when set, goes to every rank.
mpi() {
  local np=$1
  shift
  local env=(-x POCL_MAX_PTHREAD_COUNT -x POCL_CACHE_DIR -x OMPI_MCA_btl_vader_single_copy_mechanism)
  [ -n "${TEXTSIM_MPI_FAULT:-}" ] && env+=(-x TEXTSIM_MPI_FAULT)
  [ -n "${ASAN_OPTIONS:-}" ] && env+=(-x ASAN_OPTIONS)
  set +e
  mpirun -q -np "$np" --oversubscribe --bind-to none "${env[@]}" "$TEXTSIM_MPI" "$@" \
    >"$WORK/.out" 2>"$WORK/.err"
  rc=$?
  set -e
  err=$(cat "$WORK/.err")
}

# An MPI runtime that cannot start two processes here (a sandbox without
# shared memory, say) is the machine's limit, not textsim's: skip, loudly.
if ! mpirun -q -np 2 --oversubscribe --bind-to none true >"$WORK/.mpi" 2>&1; then
  echo "SKIP: mpirun cannot start 2 processes on this machine:"
  cat "$WORK/.mpi"
  exit 77
fi

same() { # same FILE_A FILE_B NAME
  if cmp -s "$1" "$2"; then ok "$3"; else fail "$3: $1 and $2 differ"; fi
}

# ------------------------------------------------------------------ inputs
# Random: 2,500 seeded synthetic statements over 5 sources (Zipf words).
"$TEXTSIM_BENCH" --synthetic 2500 --seed 7 --sources 5 --write-corpus random >/dev/null
# Real: the example corpus (153 statements) and 1,200 MSRP sentences.
mkdir -p msrp
head -n 601 "$TS_TEST_DATA/msrp/msr_paraphrase_train.txt" | tail -n 600 |
  awk -F'\t' '{ print $4 > "msrp/a.txt"; print $5 > "msrp/b.txt" }'

# ------------------------------------------- pairs: same bytes for any P
# compare_job JOB NAME ARGS...: textsim JOB ARGS, then textsim-mpi on 2 and 3
# ranks with each schedule, the same bytes.
compare_job() {
  local job=$1 name=$2
  shift 2
  run "$job" "$@" -o one.csv -q
  expect_rc 0 "$name: one process"
  for np in 2 3; do
    for schedule in static dynamic; do
      rm -f many.csv
      mpi "$np" "$job" --schedule "$schedule" "$@" -o many.csv
      if [ "$rc" -ne 0 ]; then
        fail "$name: -np $np $schedule: exit $rc: $err"
      else
        same one.csv many.csv "$name: -np $np $schedule = one process"
      fi
    done
  done
}
compare_pairs() { compare_job pairs "$@"; } # compare_pairs NAME ARGS...

compare_pairs "random top-10" --segment line random --tile 256
compare_pairs "random top-3 cross-source" --segment line random --tile 300 --top-k 3 --cross-source
compare_pairs "random threshold" --segment line random --tile 512 --top-k 0 --min-score 0.3
compare_pairs "random top-40 (k > 32: the atomic path)" --segment line random --tile 640 --top-k 40
compare_pairs "example corpus, automatic tile" "$CORPUS"
compare_pairs "example corpus top-5 with text" "$CORPUS" --tile 32 --top-k 5 --with-text
compare_pairs "MSRP cross-source threshold" --segment line msrp --tile 200 --top-k 0 --min-score 0.5 --cross-source

# The output is really spread: with -v rank 0 lists every rank's blocks.
mpi 2 pairs --segment line random --tile 256 -o many.csv -v
expect_rc 0 "pairs -v on 2 ranks"
expect_in "$err" "rank 1: " "-v reports rank 1's share"
blocks1=$(printf '%s\n' "$err" | sed -n 's/.*rank 1: \([0-9]*\) blocks.*/\1/p')
if [ -n "$blocks1" ] && [ "$blocks1" -gt 0 ]; then ok "rank 1 computed $blocks1 blocks"
else fail "rank 1 computed no blocks: $err"; fi
# All ranks on one node: the default (auto) schedule is the dynamic one.
expect_in "$err" "2 ranks, dynamic schedule" "the default schedule on one node is dynamic"
mpi 2 pairs --schedule fastest --segment line random -o many.csv
expect_rc 2 "an unknown --schedule is a usage error"
expect_in "$err" "--schedule is auto, static or dynamic, not 'fastest'" "... naming the choices"

# ------------------------------------------ search: same bytes for any P
run index build --segment line msrp -o msrp.tsidx -q
expect_rc 0 "index build of the MSRP sentences"
compare_search() { # compare_search NAME SEARCH-ARGS...: against msrp.tsidx
  local name=$1
  shift
  compare_job search "$name" msrp.tsidx "$@"
}
compare_search "search top-10, the indexed sentences as queries" --segment line msrp/a.txt
compare_search "search top-3 of the example corpus, with text" "$CORPUS" --top-k 3 --with-text
compare_search "search threshold" --segment line msrp/b.txt --top-k 0 --min-score 0.4
# Fewer queries than units: the archive is cut into parts among the ranks.
head -n 1 msrp/a.txt >one.txt
head -n 5 msrp/b.txt >five.txt
compare_search "search of one statement (the archive in parts)" --segment line one.txt
compare_search "search of five statements, threshold" --segment line five.txt --top-k 0 \
  --min-score 0.2
mpi 2 search msrp.tsidx --segment line msrp/a.txt -o many.csv -v
expect_rc 0 "search -v on 2 ranks"
units1=$(printf '%s\n' "$err" | sed -n 's/.*rank 1: \([0-9]*\) units.*/\1/p')
if [ -n "$units1" ] && [ "$units1" -gt 0 ]; then ok "rank 1 searched $units1 units"
else fail "rank 1 searched no units: $err"; fi

# ------------------------------------------ matrix: same bytes for any P
compare_matrix() { # compare_matrix NAME FILE ARGS...
  local name=$1 file=$2
  shift 2
  rm -rf one many
  mkdir one many
  run matrix "$@" -o "one/$file" -q
  expect_rc 0 "$name: one process"
  for np in 2 3; do
    rm -f many/*
    mpi "$np" matrix "$@" -o "many/$file"
    if [ "$rc" -ne 0 ]; then
      fail "$name: -np $np: exit $rc: $err"
      continue
    fi
    same "one/$file" "many/$file" "$name: -np $np = one process"
    same one/statements.csv many/statements.csv "$name: -np $np statements.csv"
  done
}
compare_matrix "random CSV matrix" m.csv --segment line random --tile 96
compare_matrix "random .npy matrix" m.npy --segment line random --tile 200
compare_matrix "example corpus CSV, automatic strips" m.csv "$CORPUS"
compare_matrix "MSRP CSV at precision 7" m.csv --segment line msrp --tile 50 --precision 7

# ------------------------------------------------------------------ faults
# A failure leaves no output: an earlier file at the path stays as it was.
echo previous > kept.csv
expect_untouched() { # expect_untouched NAME
  if [ "$(cat kept.csv)" = previous ]; then ok "$1: the earlier output is untouched"
  else fail "$1: kept.csv was replaced"; fi
  expect_no_temps . "$1: no temporaries left"
}

mpi 3 pairs missing.txt -o kept.csv
expect_rc 3 "bad input on rank 0"
expect_in "$err" "missing.txt" "the message names the file"
expect_untouched "bad input"

# Rank 1 has no OpenCL platform at all (and --backend opencl): it fails
# before the run, says so itself, and rank 0 names it.
set +e
mpirun -q -x ASAN_OPTIONS -np 1 "$TEXTSIM_MPI" pairs "$CORPUS" --backend opencl -o kept.csv : \
  -np 1 -x OCL_ICD_VENDORS=/nonexistent "$TEXTSIM_MPI" pairs "$CORPUS" --backend opencl \
  -o kept.csv >"$WORK/.out" 2>"$WORK/.err"
rc=$?
set -e
err=$(cat "$WORK/.err")
expect_rc 4 "no device on rank 1"
expect_in "$err" "textsim-mpi rank 1: error: no OpenCL platform" "rank 1 explains its failure"
expect_in "$err" "rank 1 failed before the run" "rank 0 names the failing rank"
expect_untouched "no device on rank 1"

# Every rank opens the index itself: one whose file is not rank 0's (run
# from another directory, the same relative path) or that it cannot open
# fails before the run, in its own words, and rank 0 names it.
mkdir -p other
run index build "$CORPUS" -o other/msrp.tsidx -q
for case in other missing; do
  wdir=$WORK/$case
  [ "$case" = missing ] && wdir=$WORK/msrp
  set +e
  mpirun -q -x ASAN_OPTIONS -x POCL_MAX_PTHREAD_COUNT -np 1 -wdir "$WORK" "$TEXTSIM_MPI" search \
    msrp.tsidx "$WORK/msrp/a.txt" --segment line -o "$WORK/kept.csv" : \
    -np 1 -x POCL_MAX_PTHREAD_COUNT -wdir "$wdir" "$TEXTSIM_MPI" search msrp.tsidx \
    "$WORK/msrp/a.txt" --segment line -o "$WORK/kept.csv" >"$WORK/.out" 2>"$WORK/.err"
  rc=$?
  set -e
  err=$(cat "$WORK/.err")
  expect_rc 3 "search: rank 1's index is $case"
  if [ "$case" = other ]; then
    expect_in "$err" "textsim-mpi rank 1: error: msrp.tsidx: not the index rank 0 opened" \
      "rank 1 says its index is another file"
  else
    expect_in "$err" "textsim-mpi rank 1: error: msrp.tsidx: cannot open the index" \
      "rank 1 says it cannot open the index"
  fi
  expect_in "$err" "rank 1 failed before the run" "search: rank 0 names rank 1 ($case)"
  expect_untouched "search: rank 1's index is $case"
done

# A device error in the middle of the run (TEXTSIM_MPI_FAULT=RANK:UNITS
# fails RANK after UNITS blocks or strips), on each rank in turn.
for who in 0 1 2; do
  for job in pairs matrix search; do
    if [ "$job" = search ]; then
      TEXTSIM_MPI_FAULT="$who:2" mpi 3 search --schedule static msrp.tsidx --segment line \
        msrp/a.txt -o kept.csv
    else
      TEXTSIM_MPI_FAULT="$who:2" mpi 3 "$job" --segment line random --tile 256 -o kept.csv
    fi
    expect_rc 4 "$job: device error on rank $who mid-run"
    if [ "$who" -eq 0 ]; then
      expect_in "$err" "textsim-mpi: error: injected device failure" "$job: rank 0 says why"
    else
      expect_in "$err" "textsim-mpi rank $who: error: injected device failure" \
        "$job: rank $who says why"
      expect_in "$err" "rank $who failed" "$job: rank 0 names rank $who"
    fi
    count=$(printf '%s\n' "$err" | grep -c "error:" || true)
    if [ "$count" -le 2 ]; then ok "$job: one message per rank involved ($count)"
    else fail "$job: $count error lines: $err"; fi
    expect_untouched "$job: device error on rank $who"
  done
done

finish
