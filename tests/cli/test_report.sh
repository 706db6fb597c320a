# report.html of `textsim align`, opened in headless Chromium: the page's
# script runs, and report_check.py compares the dumped DOM with the CSV files
# written beside it.  Exits 77 (skipped) only when Chromium is not installed.
SHOT_DIR=$PWD # ctest runs this in the build's tests directory: the screenshot goes there
source "$(dirname "$0")/lib.sh"
set -e

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  echo "SKIP: chromium is not installed (scripts/bootstrap installs it); report.html not checked"
  exit 77
fi
CHECK=$TS_SOURCE_DIR/tests/cli/report_check.py

# browse HTML DOM: the DOM after the page's scripts ran; console messages in DOM.log.
browse() {
  timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --user-data-dir="$WORK/profile" --enable-logging=stderr --v=0 \
    --dump-dom "file://$1" >"$2" 2>"$2.log"
}

# checks MODE DOM OUTDIR [ARGS]: report_check.py's ok/FAIL lines become ours.
checks() {
  local mode=$1 dom=$2 dir=$3
  shift 3
  set +e
  $PY "$CHECK" "$mode" "$dom" "$dir/report.html" "$dir" "$@" >"$WORK/.checks" 2>&1
  local status=$?
  set -e
  while IFS= read -r line; do
    case $line in
      "ok: "*) ok "$mode: ${line#ok: }" ;;
      "FAIL: "*) fail "$mode: ${line#FAIL: }" ;;
    esac
  done <"$WORK/.checks"
  if [ "$status" -ne 0 ]; then fail "$mode: report_check.py failed: $(tail -5 "$WORK/.checks")"; fi
}

no_console_errors() { # no_console_errors DOM NAME
  if grep -E "Uncaught|CONSOLE.*[Ee]rror" "$1.log" >/dev/null; then
    fail "$2: JavaScript errors: $(grep -E "Uncaught|CONSOLE" "$1.log" | head -3)"
  else
    ok "$2: no JavaScript error on the console"
  fi
}

# ---------------------------------------------------------------- the example
run align "$CORPUS" -o "$WORK/a" --no-formula-escape
expect_rc 0 "align the example corpus"
expect_file "$WORK/a/report.html" "report.html written"
browse "$WORK/a/report.html" "$WORK/a.dom"
expect_file "$WORK/a.dom" "Chromium dumped the DOM"
no_console_errors "$WORK/a.dom" "example"
checks full "$WORK/a.dom" "$WORK/a"

# the hover box, driven by a synthetic mouse move over the first matched pair's cell
mkdir -p "$WORK/h"
cp "$WORK/a/"*.csv "$WORK/h/"
$PY "$CHECK" hover-page "$WORK/a/report.html" "$WORK/a" >"$WORK/h/report.html"
browse "$WORK/h/report.html" "$WORK/h.dom"
checks hover "$WORK/h.dom" "$WORK/h"

# the facts table driven as a reader would: sort, filter, search, numbers,
# pages; and the map's hover
ui_checks() { # ui_checks OUTDIR WORD NAME
  mkdir -p "$WORK/$3"
  cp "$1/"*.csv "$WORK/$3/"
  $PY "$CHECK" facts-page "$1/report.html" "$2" >"$WORK/$3/report.html"
  browse "$WORK/$3/report.html" "$WORK/$3.dom"
  no_console_errors "$WORK/$3.dom" "$3"
  checks facts-ui "$WORK/$3.dom" "$WORK/$3" "$2"
}
ui_checks "$WORK/a" "Pokrovsk" ui

# without similarity.csv (--max-matrix below N) only the candidates are
# selected, and the heatmap shows them alone
run align "$CORPUS" -o "$WORK/c" --no-formula-escape --max-matrix 10
expect_rc 0 "align the example corpus without the matrix"
browse "$WORK/c/report.html" "$WORK/c.dom"
no_console_errors "$WORK/c.dom" "candidates"
checks candidates "$WORK/c.dom" "$WORK/c" "$WORK/a"

run align "$CORPUS" -o "$WORK/b" --no-formula-escape
if cmp -s "$WORK/a/report.html" "$WORK/b/report.html"; then
  ok "a second run gives a byte-identical report"
else
  fail "report.html differs between two runs"
fi

size=$(wc -c <"$WORK/a/report.html")
echo "report.html of the example: $size bytes"
rm -f "$SHOT_DIR/report-screenshot.png"
timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars \
  --user-data-dir="$WORK/profile" --window-size=1400,3000 \
  --screenshot="$SHOT_DIR/report-screenshot.png" "file://$WORK/a/report.html" >/dev/null 2>&1 || true
expect_file "$SHOT_DIR/report-screenshot.png" "screenshot saved to $SHOT_DIR/report-screenshot.png"
rm -f "$SHOT_DIR/report-screenshot-800.png"
timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars \
  --user-data-dir="$WORK/profile" --window-size=800,2400 \
  --screenshot="$SHOT_DIR/report-screenshot-800.png" "file://$WORK/a/report.html" >/dev/null 2>&1 || true
expect_file "$SHOT_DIR/report-screenshot-800.png" "an 800 px wide screenshot saved beside it"

# 130 facts in two sources (each line said twice, with one word changed):
# three pages of the facts table
$PY - <<'PY'
import random
rng = random.Random(11)
vocab = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(4000)]
with open("paged.tsv", "w") as f:
    lines = [[rng.choice(vocab) for _ in range(10)] for _ in range(130)]
    for w in lines:
        f.write("north\t" + " ".join(w) + ".\n")
    for w in lines:
        w = list(w); w[rng.randrange(10)] = rng.choice(vocab)
        f.write("south\t" + " ".join(w) + ".\n")
PY
run align paged.tsv -o "$WORK/p" --no-formula-escape
expect_rc 0 "align 130 facts"
browse "$WORK/p/report.html" "$WORK/p.dom"
no_console_errors "$WORK/p.dom" "paged"
checks paged "$WORK/p.dom" "$WORK/p"
ui_checks "$WORK/p" "$(sed -n 7p paged.tsv | cut -f2 | cut -d' ' -f3)" ui-paged

# one fact in 450 sources: more statements than the map holds
$PY -c "
for s in range(450):
    print('s%03d\tthe envoys met in moscow for five hours on the plan %s.' % (s, ['today', 'now', 'then'][s % 3]))" > wide.tsv
run align wide.tsv -o "$WORK/w" --no-formula-escape
expect_rc 0 "align one fact of 450 sources"
browse "$WORK/w/report.html" "$WORK/w.dom"
no_console_errors "$WORK/w.dom" "wide"
checks wide "$WORK/w.dom" "$WORK/w"

# ---------------------------------------------------------------- hostile text
# Two sources state nearly the same sentences, which carry markup; the second
# source's name carries markup and U+2028 too.  19 vs 20 percent is a
# discrepancy, so the discrepancy table shows the markup as well.
evil=$(printf 'evil</script><script>document.title="pwned"</script>\xe2\x80\xa8&amp;')
{
  printf 'wire\tEnvoys met in Moscow for five hours on the peace plan <script>alert(1)</script> today.\n'
  printf '%s\tEnvoys met in Moscow for five hours on the peace plan <script>alert(1)</script> today!\n' "$evil"
  printf 'wire\tOfficials said "><img src=x onerror=alert(1)> turnout in the northern region rose 19 percent.\n'
  printf '%s\tOfficials said "><img src=x onerror=alert(1)> turnout in the northern region rose 20 percent.\n' "$evil"
  printf "wire\tThe statement ended with </script><script>document.title='pwned'</script> and the talks went on.\n"
  printf "%s\tThe statement ended with </script><script>document.title='pwned'</script> and the talks went on there.\n" "$evil"
  printf 'wire\tAn image <img src=x onerror="document.body.dataset.pwned=1"> about weather in the southern valley.\n'
  printf '%s\tUnrelated remarks on football results & <b>bold</b> weekend matches in the league.\n' "$evil"
  printf 'wire\tOk.\n'
} >xss.tsv
run align xss.tsv -o "$WORK/x" --no-formula-escape
expect_rc 0 "align a corpus with markup in its text"
browse "$WORK/x/report.html" "$WORK/x.dom"
no_console_errors "$WORK/x.dom" "xss"
checks xss "$WORK/x.dom" "$WORK/x" "$WORK/xss.tsv"
ui_checks "$WORK/x" "turnout" ui-xss  # its facts include one whose numbers differ

# ------------------------------------------------- large: downsampled, capped
# 1,100 statements: the 400x400 heatmap holds block maxima, and the first
# source's unique statements are more than the 1,000 shown.
$PY - <<'PY'
import random
rng = random.Random(7)
vocab = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(3000)]
with open("big.tsv", "w") as f:
    for i in range(1050):
        f.write("alpha\t" + " ".join(rng.choice(vocab) for _ in range(9)) + ".\n")
    for i in range(50):
        f.write("beta\t" + " ".join(rng.choice(vocab) for _ in range(9)) + ".\n")
PY
run align big.tsv -o "$WORK/big" --no-formula-escape
expect_rc 0 "align 1,100 statements"
browse "$WORK/big/report.html" "$WORK/big.dom"
no_console_errors "$WORK/big.dom" "downsampled"
checks downsampled "$WORK/big.dom" "$WORK/big"

finish
