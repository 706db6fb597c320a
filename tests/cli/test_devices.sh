# Device choice: the default device, --device / TEXTSIM_DEVICE, and no
# OpenCL platform at all (an empty ICD vendor directory hides every driver).
source "$(dirname "$0")/lib.sh"
set -e

run devices
expect_rc 0 "textsim devices"
expect_in "$out" "index" "table header"
default=$(printf '%s\n' "$out" | awk '$1 == "*" {print $2; exit}')
[ -n "$default" ] && ok "a default device is marked ($default)" || fail "no default marked: $out"
table=$out
run devices -v
expect_rc 0 "textsim devices -v"
expect_in "$out" "device $default (default)" "-v marks the default device"
version=$(printf '%s\n' "$out" | sed -n 's/^  version: //p' | head -1)
[ -n "$version" ] && ok "-v gives the OpenCL version" || fail "-v: no version: $out"
expect_in "$table" ", $version" "the table shows the whole version, uncut"
run devices --bogus
expect_rc 2 "devices refuses an unknown option"
expect_in "$err" "--bogus" "names it"

printf 'The envoy met the president in Moscow.\nThe president met the envoy.\n' > a.txt
run matrix a.txt -o m.csv --backend opencl --device "$default" -v
expect_rc 0 "--device by index"
expect_in "$err" "backend opencl" "uses OpenCL"
devname=$(printf '%s\n' "$err" | sed -n 's/.*backend opencl on //p' | head -1)
TEXTSIM_DEVICE="$default" run matrix a.txt -o m2.csv --backend opencl
expect_rc 0 "TEXTSIM_DEVICE by index"
cmp -s m.csv m2.csv && ok "same result through TEXTSIM_DEVICE" || fail "TEXTSIM_DEVICE result differs"
sub=$(printf '%s' "$devname" | cut -c2-6 | tr '[:lower:]' '[:upper:]')
[ ${#sub} -ge 3 ] && ok "device name read back ('$devname')" || fail "no device name in: $devname"
run matrix a.txt -o m3.csv --backend opencl --device "$sub" -v
expect_in "$err" "backend opencl on $devname" "the substring picked that device"
expect_rc 0 "--device by a case-insensitive name substring ('$sub' of '$devname')"

mkdir -p no-icd
OCL_ICD_VENDORS=$WORK/no-icd run matrix a.txt -o fb.csv
expect_rc 0 "no OpenCL platform: falls back"
expect_in "$err" "notice: no OpenCL platform found; using the cpu backend" "one-line notice"
[ "$(printf '%s\n' "$err" | grep -c notice)" -eq 1 ] && ok "exactly one notice line" || fail "notice lines: $err"
$PY - <<'PY' && ok "fallback result equals the OpenCL result (4 decimals, ±1 digit)" || fail "fallback result"
import csv
a = list(csv.reader(open("m.csv"))); b = list(csv.reader(open("fb.csv")))
assert a[0] == b[0]
assert max(abs(float(x) - float(y)) for ra, rb in zip(a[1:], b[1:]) for x, y in zip(ra[1:], rb[1:])) <= 1.0001e-4
PY
OCL_ICD_VENDORS=$WORK/no-icd run matrix a.txt -o fb2.csv -q
[ -z "$err" ] && ok "-q silences the notice" || fail "-q: $err"
OCL_ICD_VENDORS=$WORK/no-icd run matrix a.txt -o x.csv --backend opencl
expect_rc 4 "--backend opencl without a platform"
expect_in "$err" "no OpenCL platform found" "says so"
expect_in "$err" "--backend=cpu" "says what to do"
OCL_ICD_VENDORS=$WORK/no-icd run devices
expect_rc 0 "devices without a platform"
expect_in "$out" "No OpenCL platform found" "devices says there is none"
finish
