/**
 * Part kind `typecheck`: the submission's exports against the assignment's interface.d.ts, checked
 * with the TypeScript compiler in the run stage (a worker thread, confined to the submission's files;
 * grader/submission/typecheck.ts). The judge reads the recorded problems, so a regrade needs no
 * compiler. Without such a part, `check` still reports the problems as warnings that cost nothing.
 */
import type { Check } from '../judge/result.ts';
import type { KindSchema, PartKind, PartOf } from './types.ts';
import type { TypeProblem } from '../submission/typecheck.ts';

const schema = {
  required: [],
  properties: {
    exports: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'The exports whose types are checked (default: every export in /submission/exports the interface declares)' },
    files: { type: 'boolean', description: 'Also count type errors inside the student\'s own files, not only in how the exports fit the interface (default true)' },
  },
} as const satisfies KindSchema;

export type TypecheckPart = PartOf<'typecheck', typeof schema>;

const where = (p: TypeProblem) => `${p.file}:${p.line}:${p.column}`;
const listed = (ps: TypeProblem[]) => ps.slice(0, 5).map((p) => `${where(p)} ${p.message.replace(/\.$/, '')}`).join('; ') + (ps.length > 5 ? `; and ${ps.length - 5} more` : '');

export const typecheckPart: PartKind<TypecheckPart> = {
  kind: 'typecheck',
  summary: "type-check the submission's exports against the assignment's interface.d.ts with the TypeScript compiler",
  schema,
  exportsUsed: () => [],
  needsTypecheck: () => true,
  tasks: () => ({ student: [], reference: [] }),

  judge(part, input) {
    const tc = input.typecheck;
    const checks: Check[] = [];
    const names = ['exports match the interface', ...(part.files === false ? [] : ['your files type-check'])];
    if (!tc || tc.skipped) {
      const why = !tc ? 'the submission was not type-checked (it does not compile, or has no interface.d.ts to check against)' : `the type check could not run: ${tc.skipped}`;
      for (const n of names) checks.push({ name: n, passed: false, weight: 1, points: 0, message: why });
      // Not the student's doing when the grader has no compiler: the part is not graded rather than failed.
      return { checks, messages: [why], status: tc?.skipped === 'typescript is not installed' || !tc ? 'error' : undefined };
    }
    const wanted = part.exports ? new Set(part.exports) : undefined;
    const ofExports = tc.problems.filter((p) => p.export !== undefined && (!wanted || wanted.has(p.export)));
    const inFiles = tc.problems.filter((p) => p.export === undefined);
    checks.push({ name: names[0], passed: !ofExports.length, weight: 1, points: 0, message: ofExports.length ? listed(ofExports) : 'every export checked has the type interface.d.ts declares' });
    if (part.files !== false) checks.push({ name: names[1], passed: !inFiles.length, weight: 1, points: 0, message: inFiles.length ? listed(inFiles) : 'no type errors' });
    const first = [...ofExports, ...inFiles][0];
    return {
      checks,
      messages: checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`),
      ...(first && first.file !== 'interface' ? { location: { file: first.file, line: first.line, column: first.column } } : {}),
    };
  },
};
