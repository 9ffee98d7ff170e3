#!/usr/bin/env bash
# The nngrade action's step (action.yml): grade the submission, write the Classroom reporter's
# `result` to $GITHUB_OUTPUT and a job summary to $GITHUB_STEP_SUMMARY, an HTML report to
# $NNGRADE_REPORT_DIR. Always exits 0 with a `result` written: whether the student passed is the
# result's status, which the grading reporter turns into the job's pass or fail.
set -uo pipefail

workspace="${GITHUB_WORKSPACE:-$PWD}"
action="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$workspace"

# The student's repo pins nngrade as a dev dependency (a release's package.json does); else the action's own copy.
if [ -f package.json ] && grep -q '"nngrade"' package.json; then
  [ -x node_modules/.bin/nngrade ] || npm ci --no-audit --no-fund --loglevel=error >&2 || npm install --no-audit --no-fund --loglevel=error >&2
fi
if [ -x node_modules/.bin/nngrade ]; then
  nngrade=(node_modules/.bin/nngrade)
else
  if [ ! -f "$action/dist/cli.js" ]; then
    (cd "$action" && npm ci --no-audit --no-fund --loglevel=error >&2 && npm run --silent build >&2)
  fi
  nngrade=(node "$action/bin/nngrade.js")
fi

args=(check "${NNGRADE_ASSIGNMENT:?the assignment input is required}" "${NNGRADE_SUBMISSION:-.}" --format classroom)
if [ -n "${NNGRADE_PRIVATE:-}" ]; then args+=(--private "$NNGRADE_PRIVATE" --all); fi
if [ "${NNGRADE_ALL:-false}" = "true" ]; then args+=(--all); fi
if [ -n "${NNGRADE_REPORT_DIR:-}" ]; then args+=(--html --report-dir "$NNGRADE_REPORT_DIR"); fi

out="${GITHUB_OUTPUT:-/dev/stdout}"
before=$( [ -f "$out" ] && grep -c '^result=' "$out" || echo 0 )
"${nngrade[@]}" "${args[@]}"
code=$?
after=$( [ -f "$out" ] && grep -c '^result=' "$out" || echo 0 )
if [ "$out" != /dev/stdout ] && [ "$after" = "$before" ]; then
  # nngrade did not get as far as writing a result (it could not start): the reporter still needs one.
  msg="nngrade could not run (exit code $code); see this step's log"
  json=$(printf '{"version":1,"status":"error","max_score":0,"tests":[{"name":"nngrade","status":"error","score":0,"message":"%s","test_code":"","filename":"","line_no":0,"duration":0}]}' "$msg")
  echo "result=$(printf '%s' "$json" | base64 -w0)" >> "$out"
fi
exit 0
