// The recipes in docs/recipes run as their engines run them: the GitHub Actions matrix (each shard's
// step with its matrix value, artifacts gathered as download-artifact's merge-multiple does) and the
// Kubernetes Indexed Job (each pod's command with JOB_COMPLETION_INDEX). Both merged equal one unsharded run.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadAssignment } from '../../grader/spec/load.ts';
import { prepareAssignment } from '../../grader/grade.ts';
import { listClassRoot } from '../../grader/batch/entries.ts';
import { gradeBatch, readManifest, resultFile } from '../../grader/batch/batch.ts';
import { detectIsolation } from '../../grader/sandbox/isolation.ts';
import { CLI, ROOT, exampleDir, specVariant } from '../helpers.ts';

const SCRATCH = ['scratch-forward', 'scratch-backprop', 'scratch-gradcheck', 'scratch-backprop-hidden'];
const RECIPES = path.join(ROOT, 'docs', 'recipes');
const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), `nngrade-${p}-`));

let spec: string;
let cls: string;
let whole: string;

/** A recipe's shell line with `npx nngrade` as this checkout's CLI (sandbox layers as this machine has them). */
const local = (cmd: string) => cmd.replaceAll('npx nngrade grade', `"${process.execPath}" "${CLI}" grade --isolation auto`).replaceAll('npx nngrade', `"${process.execPath}" "${CLI}"`);
const sh = (cmd: string, env: Record<string, string>, cwd: string) => execFileSync('sh', ['-c', cmd], { cwd, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function sameAsWhole(merged: string) {
  const scores = (out: string) => Object.fromEntries(Object.entries(readManifest(out)!.submissions).map(([id, e]) => [id, [e.status, e.score, e.contentHash]]));
  expect(scores(merged)).toEqual(scores(whole));
  for (const id of Object.keys(readManifest(whole)!.submissions)) {
    const parts = (out: string) => JSON.parse(readFileSync(resultFile(out, id), 'utf8')).parts.map((p: { score: number; messages: string[] }) => [p.score, p.messages]);
    expect(parts(merged)).toEqual(parts(whole));
  }
}

beforeAll(async () => {
  spec = specVariant('fashion-mnist-hw4', (s) => {
    s.parts = s.parts.filter((p: { id: string }) => SCRATCH.includes(p.id));
    s.points = s.parts.reduce((n: number, p: { points: number }) => n + p.points, 0);
  });
  cls = tmp('class');
  for (let i = 0; i < 7; i++) cpSync(exampleDir('fashion-mnist-hw4', ['correct', 'b1-row', 'relu-hidden'][i % 3]), path.join(cls, `student-${i}`), { recursive: true });
  whole = tmp('whole');
  await gradeBatch(await prepareAssignment(loadAssignment(spec)), listClassRoot(cls, 'submission.ts'), { out: whole, workers: 2, isolation: detectIsolation() });
});

describe('docs/recipes/github-actions-sharded.yml', () => {
  it('each matrix job grades its shard; the artifacts downloaded with merge-multiple merge into the unsharded result, with a dashboard', () => {
    const wf = YAML.parse(readFileSync(path.join(RECIPES, 'github-actions-sharded.yml'), 'utf8'));
    const grade = wf.jobs.grade, merge = wf.jobs.merge;
    const shards: number[] = grade.strategy.matrix.shard;
    expect(Number(wf.env.SHARDS)).toBe(shards.length);
    expect(merge.needs).toBe('grade');
    const step = grade.steps.find((s: { run?: string }) => s.run?.includes('nngrade grade'));
    const upload = grade.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/upload-artifact'));
    const download = merge.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/download-artifact'));
    expect(download.with['merge-multiple']).toBe(true);
    const env = { ...wf.env, ASSIGNMENT: spec, CLASS: cls, SHARDS: String(shards.length) };
    const gathered = tmp('gh');
    for (const i of shards) {
      // Each matrix job runs in a fresh checkout.
      const job = tmp('gh-job');
      const expand = (s: string) => s.replaceAll('${{ matrix.shard }}', String(i));
      sh(local(expand(step.run)), env, job);
      // upload-artifact of `path`, then download-artifact with `pattern` + merge-multiple: all into one folder.
      expect(expand(upload.with.name)).toMatch(new RegExp(download.with.pattern.replace('*', '.*')));
      cpSync(path.join(job, expand(upload.with.path)), path.join(gathered, download.with.path), { recursive: true });
    }
    expect(readdirSync(path.join(gathered, download.with.path)).filter((f) => f.startsWith('manifest')).sort()).toEqual(shards.map((i) => `manifest-${i}-of-${shards.length}.json`));
    const mergeStep = merge.steps.find((s: { run?: string }) => s.run?.includes('nngrade merge'));
    sh(local(mergeStep.run), env, gathered);
    sameAsWhole(path.join(gathered, 'graded'));
    expect(existsSync(path.join(gathered, 'graded', 'reports', 'fashion-mnist-hw4', 'dashboard.html'))).toBe(true);
  });
});

describe('docs/recipes/k8s-indexed-job.yaml', () => {
  it('each pod grades shard $JOB_COMPLETION_INDEX into its own folder, a pod run twice changes nothing, and the merge equals the unsharded run', () => {
    const docs = YAML.parseAllDocuments(readFileSync(path.join(RECIPES, 'k8s-indexed-job.yaml'), 'utf8')).map((d) => d.toJS());
    const job = docs.find((d) => d.kind === 'Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const c = job.spec.template.spec.containers[0];
    const env: Record<string, string> = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(Number(env.SHARDS)).toBe(job.spec.completions);
    expect(docs.find((d) => d.kind === 'NetworkPolicy').spec.egress).toEqual([]);
    const work = tmp('k8s');
    const cmd = local(c.args[0]).replaceAll('/work/out', path.join(work, 'out'));
    const pod = (i: number) => sh(cmd, { ...env, ASSIGNMENT: spec, CLASS: cls, JOB_COMPLETION_INDEX: String(i) }, ROOT);
    for (let i = 0; i < job.spec.completions; i++) pod(i);
    const before = readFileSync(path.join(work, 'out', 'shard-1', 'manifest-1-of-4.json'), 'utf8');
    pod(1); // Kubernetes may start an index again
    expect(JSON.parse(readFileSync(path.join(work, 'out', 'shard-1', 'manifest-1-of-4.json'), 'utf8')).submissions).toEqual(JSON.parse(before).submissions);
    const shards = readdirSync(path.join(work, 'out')).filter((d) => d.startsWith('shard-')).map((d) => path.join(work, 'out', d));
    expect(shards.length).toBe(4);
    mkdirSync(path.join(work, 'out', 'merged'));
    execFileSync(process.execPath, [CLI, 'merge', ...shards, '--out', path.join(work, 'out', 'merged')], { stdio: 'ignore' });
    sameAsWhole(path.join(work, 'out', 'merged'));
    // A shard left out, or given twice, is named.
    const merge = (dirs: string[]) => spawnSync(process.execPath, [CLI, 'merge', ...dirs, '--out', tmp('merged')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const partial = merge([shards[0], shards[2], shards[3]]);
    expect(partial.status).toBe(1);
    expect(partial.stderr).toContain('missing: shard 1');
    const dup = merge([...shards, shards[0] + '/']);
    expect(dup.stderr).toMatch(/duplicate: student-\d/);
    const bad = spawnSync(process.execPath, [CLI, 'grade', spec, cls, '--shard', '4/4', '--isolation', 'auto'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--shard expects i/n with 0 ≤ i < n');
  });
});
