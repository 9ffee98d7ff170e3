/**
 * `nngrade release <assignment> --out <dir>`: what students get, and what only the grader keeps.
 *
 *   <out>/public/    the students' starter repository: the visible parts' spec and fixtures, the
 *                    reference's expected values for them precomputed (.nngrade/expected.bin: no
 *                    reference code), stubs that throw "not implemented: <part>", the interface
 *                    .d.ts, provided files, a package.json whose `check` script runs nngrade, a
 *                    README listing the parts, and GitHub Classroom's workflow.
 *   <out>/private/   the grader's overlay: every part, every fixture, every expected value (or the
 *                    bundled reference, when a part calls it on the student's output), the
 *                    originals of read-only files. Also as private.tgz, to keep as a secret.
 *
 * What decides public: a part is public when it is visible and judging it needs no reference code
 * (no `derive` calls). Everything else is graded later, with the overlay.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { create as createTar } from 'tar';
import YAML from 'yaml';
import type { LoadedAssignment } from '../spec/load.ts';
import type { AssignmentSpec, FixtureSpec, PartBase, ReleaseInfo } from '../spec/types.ts';
import { prepareAssignment, NNGRADE_VERSION, type PreparedAssignment } from '../plan/plan.ts';
import { partKinds } from '../parts/registry.ts';
import { fixturesUsed, perStudentFixtures } from '../fixtures/resolve.ts';
import { writeReferenceValues } from '../reference/reference.ts';
import { providedPackagesPlugin } from '../submission/bundle.ts';
import { UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';
import { writeFileAtomic } from '../util/atomic.ts';

/** Inside a release, the folder holding nngrade's files (the student's code sits at the root). */
export const RELEASE_DIR = '.nngrade';
/** The Classroom workflow's runner step id (hyphenated, as Classroom's own are). */
export const CLASSROOM_STEP_ID = 'nngrade-check';

export interface ReleaseOptions {
  out: string;
  /** The nngrade the starter's package.json depends on (an npm version range, a tarball path or URL, a git URL). */
  nngrade?: string;
  /** The action the Classroom workflow uses (default: the nngrade installed in the repo, ./node_modules/nngrade). */
  action?: string;
}

export interface ReleaseReport {
  publicDir: string;
  privateDir: string;
  privateTarball: string;
  publicParts: string[];
  /** Parts graded later, and why each is not public. */
  gradedLater: { id: string; why: string }[];
  notes: string[];
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Why a part cannot be checked from the public release, or undefined when it can. */
function notPublic(p: PartBase, perStudent: string[] = []): string | undefined {
  if (p.visibility !== 'visible') return `it is ${p.visibility}`;
  const own = [...fixturesUsed(p)].filter((f) => perStudent.includes(f));
  if (own.length) return `its fixtures (${own.join(', ')}) are drawn per student, with a salt only the grader has`;
  const calls = partKinds[p.kind].referenceExportsUsed?.(p) ?? [];
  if (calls.length) return `judging it calls the reference's ${calls.join(', ')} on the student's output`;
  return undefined;
}

/** The spec's fixtures that these parts use, with .npy files and data folders copied into `dir`. */
function copyFixtures(spec: AssignmentSpec, specDir: string, parts: PartBase[], dir: string): Record<string, FixtureSpec> {
  const used = new Set(parts.flatMap((p) => [...fixturesUsed(p)]));
  const out: Record<string, FixtureSpec> = {};
  for (const [name, f] of Object.entries(spec.fixtures ?? {})) {
    if (!used.has(name)) continue;
    if (f.kind === 'npy') {
      const files: Record<string, string> = {};
      for (const [key, rel] of Object.entries(f.files)) {
        const to = path.join('fixtures', name, `${key}.npy`);
        mkdirSync(path.join(dir, path.dirname(to)), { recursive: true });
        cpSync(path.resolve(specDir, rel), path.join(dir, to));
        files[key] = to;
      }
      out[name] = { ...f, files };
    } else if (f.kind === 'dataset') {
      // Folders given relative to the spec travel with it; the usual places (NNGRADE_DATA, /usr/share/datasets, the cache) are looked in as ever.
      const g = structuredClone(f);
      for (const k of ['path', 'fallback'] as const) {
        const rel = f[k];
        if (!rel || path.isAbsolute(rel) || !existsSync(path.resolve(specDir, rel))) continue;
        const to = path.join('data', `${name}-${k}`);
        cpSync(path.resolve(specDir, rel), path.join(dir, to), { recursive: true });
        g[k] = to;
      }
      out[name] = g;
    } else out[name] = structuredClone(f);
  }
  return out;
}

/** A stub entry file: each export throws "not implemented: <the parts that call it>". */
export function stubSource(spec: AssignmentSpec): string {
  const users = new Map<string, PartBase[]>();
  const values = new Set<string>();
  for (const p of spec.parts) {
    for (const name of partKinds[p.kind].exportsUsed(p)) {
      users.set(name, [...(users.get(name) ?? []), p]);
      if (p.kind === 'answer') values.add(name);
    }
  }
  const lines = [
    `// ${spec.title}`,
    '// Replace each stub with your implementation; `npm run check` grades what you have so far.',
    '',
  ];
  for (const name of spec.submission.exports) {
    const parts = users.get(name) ?? [];
    const doc = `/** ${parts.map((p) => `${p.title} (${p.id})`).join('; ') || name} */`;
    const what = parts.length ? `${name} (${parts[0].title})` : name;
    if (values.has(name)) {
      lines.push(doc, `export const ${name}: unknown = undefined; // not implemented: ${what}`, '');
    } else {
      lines.push(doc, `export function ${name}(..._args: unknown[]): never {`, `  throw new Error(${JSON.stringify(`not implemented: ${what}`)});`, '}', '');
    }
  }
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}

/** GitHub Classroom's workflow with nngrade as its runner step and the grading reporter after it. */
export function classroomWorkflow(opts: { action?: string }): string {
  const id = CLASSROOM_STEP_ID;
  const wf = {
    name: 'Autograding Tests',
    on: ['push', 'repository_dispatch'],
    permissions: { checks: 'write', actions: 'read', contents: 'read' },
    jobs: {
      'run-autograding-tests': {
        'runs-on': 'ubuntu-latest',
        if: "github.actor != 'github-classroom[bot]'",
        steps: [
          { name: 'Checkout code', uses: 'actions/checkout@v4' },
          { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
          ...(opts.action ? [] : [{ name: 'Install nngrade', run: 'npm install --no-audit --no-fund' }]),
          {
            name: 'nngrade',
            id,
            uses: opts.action ?? './node_modules/nngrade',
            with: { assignment: RELEASE_DIR, private: '${{ secrets.NNGRADE_PRIVATE }}', 'private-token': '${{ secrets.NNGRADE_PRIVATE_TOKEN }}' },
          },
          {
            name: 'Autograding Reporter',
            uses: 'classroom-resources/autograding-grading-reporter@v1',
            env: { [`${id.toUpperCase()}_RESULTS`]: `\${{steps.${id}.outputs.result}}` },
            with: { runners: id },
          },
        ],
      },
    },
  };
  return YAML.stringify(wf, { lineWidth: 0 });
}

function studentReadme(spec: AssignmentSpec, pub: PartBase[], later: { id: string; title: string; points: number }[], readOnly: string[]): string {
  const lines = [
    `# ${spec.title}`,
    '',
    `Write your solution in \`${spec.submission.entry}\` (and files it imports). Check it as often as you like:`,
    '',
    '```sh',
    'npm install      # once: installs nngrade',
    'npm run check    # grades the parts below on your machine',
    '```',
    '',
    '| part | points | what |',
    '| --- | --- | --- |',
    ...pub.map((p) => `| \`${p.id}\` | ${p.points} | ${p.title.replace(/\|/g, '\\|')} |`),
  ];
  if (later.length) {
    lines.push('', `Graded after you hand in (${later.reduce((s, p) => s + p.points, 0)} points, on tests you do not see here):`, '', ...later.map((p) => `- ${p.title} (${p.points} points)`));
  }
  if (readOnly.length) lines.push('', `Do not edit ${readOnly.map((f) => `\`${f}\``).join(', ')}: they are graded as provided, and a changed copy is reported.`);
  lines.push('', `Each push to GitHub is graded by the workflow in \`.github/workflows/classroom.yml\`.`, '');
  return lines.join('\n');
}

/** Files of a folder, relative, sorted (for hashing and tarballs). */
function filesOf(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? filesOf(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

export async function makeRelease(loaded: LoadedAssignment, opts: ReleaseOptions): Promise<ReleaseReport> {
  const { spec } = loaded;
  if (spec.release) throw new UserError(`${displayPath(loaded.file)} is itself a release (${spec.release.audience}); release the instructor's assignment instead`);
  if (!loaded.referenceEntry) throw new UserError(`${displayPath(loaded.file)} has no reference code to release from`);
  const prep: PreparedAssignment = await prepareAssignment(loaded, { skipMissingData: true });
  const notes = prep.skipped.map((s) => `part ${s.part} has no expected values in this release (${s.reason}); it is graded where its data can be found, from the private overlay's reference`);
  const out = path.resolve(opts.out);
  const publicDir = path.join(out, 'public'), privateDir = path.join(out, 'private');
  for (const d of [publicDir, privateDir]) if (existsSync(d) && readdirSync(d).length) throw new UserError(`${displayPath(d)} is not empty: release into a new folder (nothing was written)`);

  const perStudent = perStudentFixtures(spec);
  const pub = spec.parts.filter((p) => !notPublic(p, perStudent));
  const later = spec.parts.filter((p) => notPublic(p, perStudent));
  const provided = spec.submission.provided ?? [];
  const readOnly = spec.submission.readOnly ?? [];
  for (const f of [...provided, ...readOnly]) {
    if (path.isAbsolute(f) || f.split(/[\\/]/).includes('..')) throw new UserError(`/submission/provided: ${JSON.stringify(f)} must be a path inside the assignment folder`);
    if (!existsSync(path.resolve(loaded.dir, f)) || !statSync(path.resolve(loaded.dir, f)).isFile()) throw new UserError(`/submission/provided: ${f} is not a file in ${displayPath(loaded.dir)}`);
  }
  for (const f of readOnly) if (!provided.includes(f)) throw new UserError(`/submission/readOnly: ${f} is not among /submission/provided`);
  const readOnlyHashes = readOnly.map((f) => ({ file: f, sha256: sha256(path.resolve(loaded.dir, f)) }));
  const of = { id: spec.id, version: spec.version, points: spec.points };
  const tasksOf = (parts: PartBase[]) => parts.flatMap((p) => prep.tasks.get(p.id)?.reference ?? []);

  // The public release.
  const nn = path.join(publicDir, RELEASE_DIR);
  mkdirSync(nn, { recursive: true });
  const gradedLater = later.map((p) => ({ id: p.id, title: p.title, points: p.points }));
  const publicRelease: ReleaseInfo = { of, audience: 'public', ...(gradedLater.length ? { gradedLater } : {}), ...(readOnlyHashes.length ? { readOnly: readOnlyHashes } : {}) };
  // The interface goes to the students' folder root; both specs point at a copy of it.
  const iface = path.resolve(loaded.dir, spec.submission.interface ?? 'interface.d.ts');
  const hasInterface = existsSync(iface);
  const publicSpec: AssignmentSpec = {
    $schema: '../node_modules/nngrade/assignments/assignment.schema.json',
    id: spec.id, title: spec.title, version: spec.version,
    points: pub.reduce((s, p) => s + p.points, 0),
    submission: { entry: spec.submission.entry, exports: spec.submission.exports, ...(hasInterface ? { interface: '../interface.d.ts' } : {}) },
    reference: { values: 'expected.bin' },
    release: publicRelease,
    ...(spec.limits ? { limits: spec.limits } : {}),
    fixtures: copyFixtures(spec, loaded.dir, pub, nn),
    parts: pub,
  };
  if (!pub.length) notes.push('no part is public (visible, judged without the reference code): the starter checks nothing until it is graded');
  writeReferenceValues(path.join(nn, 'expected.bin'), tasksOf(pub), prep.expected);
  writeFileSync(path.join(nn, 'assignment.json'), JSON.stringify(publicSpec, null, 2) + '\n');
  for (const f of provided) cpSync(path.resolve(loaded.dir, f), path.join(publicDir, f));
  // The originals of read-only files, beside the spec (as in the private overlay): a changed copy is graded as the original.
  for (const f of readOnly) cpSync(path.resolve(loaded.dir, f), path.join(nn, 'provided', f));
  if (!provided.includes(spec.submission.entry)) writeFileSync(path.join(publicDir, spec.submission.entry), stubSource(spec));
  if (hasInterface) cpSync(iface, path.join(publicDir, 'interface.d.ts'));
  const pkg = {
    name: `${spec.id}-starter`, version: '1.0.0', private: true, type: 'module',
    description: spec.title,
    scripts: { check: `nngrade check ${RELEASE_DIR} .` },
    devDependencies: { nngrade: opts.nngrade ?? `^${NNGRADE_VERSION}` },
  };
  writeFileSync(path.join(publicDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  writeFileSync(path.join(publicDir, '.gitignore'), 'node_modules/\nreports/\nout/\n');
  writeFileSync(path.join(publicDir, 'README.md'), studentReadme(spec, pub, gradedLater, readOnly));
  mkdirSync(path.join(publicDir, '.github', 'workflows'), { recursive: true });
  writeFileSync(path.join(publicDir, '.github', 'workflows', 'classroom.yml'), classroomWorkflow(opts));

  // The private overlay: every part.
  mkdirSync(privateDir, { recursive: true });
  // Per-student fixtures need the reference at grading time (each student's values differ).
  const needsCode = perStudent.length > 0 || spec.parts.some((p) => (partKinds[p.kind].referenceExportsUsed?.(p) ?? []).length);
  let reference: AssignmentSpec['reference'];
  if (needsCode) {
    // Bundled into one file (tf left to the grader's), so the overlay runs where the reference's folder is not.
    await build({ entryPoints: [loaded.referenceEntry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: path.join(privateDir, 'reference.mjs'), logLevel: 'silent', plugins: [providedPackagesPlugin()], external: ['@tensorflow/*'] });
    reference = { entry: 'reference.mjs' };
  } else {
    writeReferenceValues(path.join(privateDir, 'expected.bin'), tasksOf(spec.parts), prep.expected);
    reference = { values: 'expected.bin' };
  }
  for (const f of readOnly) cpSync(path.resolve(loaded.dir, f), path.join(privateDir, 'provided', f));
  if (hasInterface) cpSync(iface, path.join(privateDir, 'interface.d.ts'));
  const privateSpec: AssignmentSpec = {
    id: spec.id, title: spec.title, version: spec.version, points: spec.points,
    submission: { entry: spec.submission.entry, exports: spec.submission.exports },
    reference,
    release: { of, audience: 'private', ...(readOnlyHashes.length ? { readOnly: readOnlyHashes } : {}) },
    ...(spec.variants ? { variants: spec.variants } : {}),
    ...(spec.limits ? { limits: spec.limits } : {}),
    fixtures: copyFixtures(spec, loaded.dir, spec.parts, privateDir),
    parts: spec.parts,
  };
  writeFileSync(path.join(privateDir, 'assignment.json'), JSON.stringify(privateSpec, null, 2) + '\n');
  const privateTarball = path.join(out, 'private.tgz');
  rmSync(privateTarball, { force: true });
  await createTar({ gzip: true, file: `${privateTarball}.tmp`, cwd: privateDir, portable: true, noMtime: true }, filesOf(privateDir));
  writeFileAtomic(privateTarball, readFileSync(`${privateTarball}.tmp`));
  rmSync(`${privateTarball}.tmp`, { force: true });
  return { publicDir, privateDir, privateTarball, publicParts: pub.map((p) => p.id), gradedLater: later.map((p) => ({ id: p.id, why: notPublic(p, perStudent)! })), notes };
}
