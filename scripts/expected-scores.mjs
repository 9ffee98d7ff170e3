// Prints (or with --write, updates) submissions/<id>/EXPECTED.json from real `nngrade check --all --json`
// runs, keeping each entry's "mentions". Review the diff before committing: EXPECTED.json is what the tests assert.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [id, flag] = process.argv.slice(2);
if (!id) { console.error('usage: node scripts/expected-scores.mjs <assignment-id> [--write]'); process.exit(2); }
const dir = path.join('submissions', id);
const file = path.join(dir, 'EXPECTED.json');
const old = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const out = {};
for (const name of readdirSync(dir).sort()) {
  if (!statSync(path.join(dir, name)).isDirectory()) continue;
  let json;
  try { json = execFileSync(process.execPath, ['bin/nngrade.js', 'check', id, path.join(dir, name), '--all', '--json'], { encoding: 'utf8' }); }
  catch (e) { json = e.stdout; }
  const r = JSON.parse(json);
  out[name] = { score: r.score, parts: Object.fromEntries(r.parts.map((p) => [p.id, p.score])), ...(old[name]?.mentions ? { mentions: old[name].mentions } : {}) };
}
const text = JSON.stringify(out, null, 2) + '\n';
if (flag === '--write') writeFileSync(file, text);
else process.stdout.write(text);
