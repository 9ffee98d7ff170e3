#!/usr/bin/env bash
# PrairieLearn's external grader entrypoint (externalGradingOptions.entrypoint): grade /grade/student with
# the release and private overlay copied in from serverFilesCourse/nngrade/, and always leave
# /grade/results/results.json (PrairieLearn makes no results folder; an unreadable file is a grading
# error). GRADE (default /grade) is only for trying this script elsewhere.
set -uo pipefail
root="${GRADE:-/grade}"
course="$root/serverFilesCourse/nngrade"
results="$root/results/results.json"
mkdir -p "$root/results"
rm -f "$results"
cd "$course"

# Under the question's timeout (at most 600 s): nngrade stops itself before it.
budget="${NNGRADE_BUDGET_SECONDS:-270}"
timeout --kill-after=10 "$budget" node_modules/.bin/nngrade check release/.nngrade "$root/student" \
  --private private --format "prairielearn=$results" --isolation auto
code=$?

if [ ! -s "$results" ]; then
  if [ "$code" = 124 ] || [ "$code" = 137 ]; then why="grading took longer than ${budget} s and was stopped"; else why="nngrade could not grade this submission (exit code $code)"; fi
  printf '{"gradable":true,"score":0,"message":"%s","output":"","tests":[]}\n' "$why" > "$results"
fi
exit 0
