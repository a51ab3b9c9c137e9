#!/bin/sh
# Whole-process figures of issue 10: `steerbot import` of N tasks (CSV
# files of 40,000 rows) beside a one-transaction load of the same rows, and
# `steerbot digest` (with the snapshot of a previous digest) beside a bare
# read of every key of the same file. Medians of 11 runs, wall and CPU.
#
#   storage/testdata/perf/measure.sh REV N     e.g. 43ac28c 100000, or . 100000
#
# REV "." is the working tree; any other is built from `git archive REV`.
# Files go to /dev/shm: a shared disk's fsync times vary too much.
set -e
REV=$1; N=$2
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../../.." && pwd)
T=/dev/shm/steerbot-perf/$(echo "$REV" | tr -c 'A-Za-z0-9\n' _)-$N; rm -rf "$T"; mkdir -p "$T/src"
if [ "$REV" = . ]; then SRC=$ROOT; else git -C "$ROOT" archive "$REV" | tar -x -C "$T/src"; SRC=$T/src; fi
mkdir -p "$SRC/_perftools" && cp -r "$HERE/prof" "$HERE/gen" "$SRC/_perftools/"
(cd "$SRC" && go build -o "$T/steerbot" . && go build -o "$T/prof" ./_perftools/prof && go run ./_perftools/gen "$N" 40000 "$T")
[ "$REV" = . ] && rm -rf "$SRC/_perftools"
sed "s#path: DB#path: $T/db.db#" "$HERE/cfg.yaml" > "$T/cfg.yaml"
m() { python3 "$HERE/median.py" "$@"; }
echo "$REV $N import: $(m 1 -- sh -c "for f in $T/tasks-*.csv; do $T/steerbot import -config $T/cfg.yaml \$f; done")"
echo "$REV $N load:   $(m 1 -- "$T/prof" -db "$T/load.db" -mode load $T/tasks-*.csv)"
"$T/prof" -db "$T/db.db" -mode snap >/dev/null
echo "$REV $N digest: $(m 11 -- "$T/steerbot" digest -config "$T/cfg.yaml")"
echo "$REV $N bare:   $(m 11 -- "$T/prof" -db "$T/db.db" -mode bare)"
echo "$REV $N file:   $(stat -c %s "$T/db.db") bytes"
