/**
 * classroom-resources/autograding-grading-reporter's reading of its runners, re-implemented from its
 * src/main.js and notify-classroom.js (see ../shared/platforms.md §1.3): env `<ID upper-cased>_RESULTS`,
 * base64 → JSON, a `tests` array required; points = Σ tests[].score of runners with a truthy
 * max_score; the job fails on a top-level status of fail or error.
 */
export function reporter(env: Record<string, string | undefined>, runners: string) {
  let totalPoints = 0, maxPoints = 0, failed = false;
  const lines: string[] = [];
  for (const runner of runners.split(',')) {
    const encoded = env[`${runner.trim().toUpperCase()}_RESULTS`];
    if (encoded === undefined) throw new Error(`no ${runner.trim().toUpperCase()}_RESULTS`);
    const results = JSON.parse(Buffer.from(encoded, 'base64').toString('utf-8'));
    if (!Array.isArray(results.tests)) throw new Error('results.tests is not an array');
    for (const t of results.tests) {
      if (typeof t.score !== 'number' || Number.isNaN(t.score)) throw new Error(`test ${t.name} has no numeric score`);
      lines.push(`${t.status === 'pass' ? '✅' : '❌'} ${t.name}${t.line_no !== 0 ? ` - line ${t.line_no}` : ''}`);
    }
    if (results.status === 'fail' || results.status === 'error') failed = true;
    if (results.max_score) {
      maxPoints += results.max_score;
      totalPoints += results.tests.reduce((s: number, t: { score: number }) => s + t.score, 0);
    }
  }
  return { totalPoints, maxPoints, failed, lines };
}

/** The `result=` value a step wrote last into a GITHUB_OUTPUT file. */
export function stepResult(githubOutput: string): string {
  const all = [...githubOutput.matchAll(/^result=(.*)$/gm)];
  if (!all.length) throw new Error('no result= line in GITHUB_OUTPUT');
  return all[all.length - 1][1];
}
