// Prints (or with --write, updates) submissions/<id>/EXPECTED.json from a real `nngrade grade <id>` run,
// keeping each entry's "mentions". Review the diff before committing: EXPECTED.json is what the tests assert.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [id, flag] = process.argv.slice(2);
if (!id) { console.error('usage: node scripts/expected-scores.mjs <assignment-id> [--write]'); process.exit(2); }
const file = path.join('submissions', id, 'EXPECTED.json');
const old = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const tmp = mkdtempSync(path.join(os.tmpdir(), 'nngrade-expected-'));
execFileSync(process.execPath, ['bin/nngrade.js', 'grade', id, '--out', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
const out = {};
for (const f of readdirSync(path.join(tmp, id)).sort()) {
  const r = JSON.parse(readFileSync(path.join(tmp, id, f), 'utf8'));
  const name = path.basename(f, '.json');
  out[name] = { score: r.score, parts: Object.fromEntries(r.parts.map((p) => [p.id, p.score])), ...(old[name]?.mentions ? { mentions: old[name].mentions } : {}) };
}
rmSync(tmp, { recursive: true, force: true });
const text = JSON.stringify(out, null, 2) + '\n';
if (flag === '--write') writeFileSync(file, text);
else process.stdout.write(text);
