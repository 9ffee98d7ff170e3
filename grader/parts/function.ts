/**
 * Part kind `function`: call a student's export on fixture arguments and
 * compare every output (or the listed outputs) with the reference's output on
 * the same arguments; optionally check properties ("the last loss is < 0.02",
 * "the loss never increases"), including of values derived by the reference
 * (e.g. the reference's loss evaluated at each of the student's iterates).
 */
import type { Check } from '../judge/result.ts';
import { checkProperty, describeProperty, type PropertySpec } from '../judge/properties.ts';
import { getPath, leafPaths, toNDArray, ValueError, describeType } from '../judge/values.ts';
import { FixtureError, PLACEHOLDER, resolveRefs } from '../fixtures/resolve.ts';
import { argsSchema, compareOutput, failedMessages, failureMessage, nameReturns, propertySchema, returnsSchema, seedFor, shapeSchema, toleranceSchema } from './common.ts';
import type { KindSchema, PartKind, PartOf, SpecProblem } from './types.ts';
import type { CallTask } from '../sandbox/protocol.ts';
import { lintSteps, resolveSteps, stepsSchema, type StepSpec } from './chain.ts';

const schema = {
  required: ['call', 'cases'],
  properties: {
    call: { type: 'string', description: 'The export to call' },
    cases: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['args'],
        properties: { name: { type: 'string' }, args: argsSchema, weight: { type: 'number', exclusiveMinimum: 0 }, steps: stepsSchema },
        additionalProperties: false,
      },
    },
    compare: toleranceSchema,
    shape: shapeSchema,
    outputs: {
      type: 'object',
      description: 'Output paths to compare ("L", "gradients.W1", "0"), each with optional weight, tolerance and shape policy',
      additionalProperties: {
        type: 'object',
        properties: { weight: { type: 'number', minimum: 0 }, compare: toleranceSchema, shape: shapeSchema },
        additionalProperties: false,
      },
    },
    properties: { type: 'array', items: propertySchema },
    returns: returnsSchema,
    checkArgs: { type: 'boolean', description: 'Also check the arguments as the call left them (e.g. a running mean updated in place): outputs are then "output…" and "args.<i>…"' },
    derive: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['call', 'args'],
        properties: { call: { type: 'string' }, map: { type: 'string' }, args: argsSchema },
        additionalProperties: false,
      },
    },
  },
} as const satisfies KindSchema;

/** A function part, as its schema defines it (the type is derived from the schema: one source). */
export type FunctionPart = PartOf<'function', typeof schema>;

const taskId = (part: FunctionPart, i: number) => `${part.id}#${i}`;
const caseName = (part: FunctionPart, i: number) => part.cases[i].name ?? `case ${i + 1}`;


export const functionPart: PartKind<FunctionPart> = {
  kind: 'function',
  summary: "call an export on fixture arguments and compare its outputs with the reference's",
  schema: schema,

  exportsUsed: (part) => [...new Set([part.call, ...part.cases.flatMap((c) => (c.steps ?? []).filter((s) => s.from !== 'reference').map((s) => s.call))])],
  referenceExportsUsed: (part) => Object.values(part.derive ?? {}).map((d) => d.call),

  lint(part, ctx) {
    const problems: SpecProblem[] = [];
    const base = `/parts/${ctx.index}`;
    part.cases.forEach((c, i) => {
      try {
        lintSteps(c.steps, ctx.fixtures, `${base}/cases/${i}/steps`, problems);
        const { names } = resolveSteps(c.steps, ctx.fixtures, `${base}/cases/${i}/steps`, taskId(part, i), 0);
        resolveRefs(c.args, ctx.fixtures, `${base}/cases/${i}/args`, names);
      } catch (e) {
        if (e instanceof FixtureError) problems.push({ pointer: e.pointer, message: e.message });
        else throw e;
      }
    });
    for (const [name, d] of Object.entries(part.derive ?? {})) {
      try {
        resolveRefs(d.args, ctx.fixtures, `${base}/derive/${name}/args`, { item: PLACEHOLDER, output: PLACEHOLDER });
      } catch (e) {
        if (e instanceof FixtureError) problems.push({ pointer: e.pointer, message: e.message });
        else throw e;
      }
    }
    (part.properties ?? []).forEach((p, i) => {
      if (p.path.startsWith('derived.') && !(p.path.slice(8).split('.')[0] in (part.derive ?? {}))) {
        problems.push({ pointer: `${base}/properties/${i}/path`, message: `"${p.path}" names a derived value that /parts/${ctx.index}/derive does not define` });
      }
    });
    if (part.outputs && Object.keys(part.outputs).length === 0 && !(part.properties ?? []).length) {
      problems.push({ pointer: `${base}/outputs`, message: 'this part compares no outputs and checks no properties, so it can never be failed' });
    }
    return problems;
  },

  tasks(part, ctx) {
    const student: CallTask[] = [];
    const reference: CallTask[] = [];
    part.cases.forEach((c, i) => {
      const seed = seedFor(taskId(part, i));
      const chain = resolveSteps(c.steps, ctx.fixtures, `/parts/${ctx.index}/cases/${i}/steps`, taskId(part, i), seed);
      const task: CallTask = {
        op: 'call',
        id: taskId(part, i),
        export: part.call,
        args: resolveRefs(c.args, ctx.fixtures, `/parts/${ctx.index}/cases/${i}/args`, chain.names) as unknown[],
        seed,
        ...(chain.steps.length ? { steps: chain.steps } : {}),
        ...(chain.referenceTasks.length ? { fromReference: true as const } : {}),
        ...(part.checkArgs ? { returnArgs: true } : {}),
      };
      student.push(task);
      // The reference's own steps run first, so their values are there when its call (and the student's) is filled in.
      reference.push(...chain.referenceTasks, task);
    });
    return { student, reference };
  },

  judge(part, input) {
    const checks: Check[] = [];
    const messages: string[] = [];
    let failures = 0, timeouts = 0, location;
    let output = '';
    const multi = part.cases.length > 1;
    for (let i = 0; i < part.cases.length; i++) {
      const id = taskId(part, i);
      const caseWeight = part.cases[i].weight ?? 1;
      const label = (what: string) => (multi ? (what ? `${caseName(part, i)} › ${what}` : caseName(part, i)) : what || 'output');
      // An array return is read by the names the spec gives its values.
      // With checkArgs the value is {output, args}: the return, and the arguments as the call left them.
      const returned = (v: unknown) => (part.checkArgs ? (v as { output?: unknown } | undefined)?.output : v);
      const named = (v: unknown) => (part.checkArgs ? { ...(v as object), output: nameReturns(part.returns, returned(v)) } : nameReturns(part.returns, v));
      const ref = named(input.reference.get(id));
      const raw = input.student.get(id)!;
      output += raw.output;
      const outcome = raw.ok && part.returns && !(Array.isArray(returned(raw.value)) && (returned(raw.value) as unknown[]).length === part.returns.length)
        ? { ok: false as const, kind: 'error' as const, message: `it should return an array of ${part.returns.length} values [${part.returns.join(', ')}], but returned ${describeType(returned(raw.value))}`, ms: raw.ms, output: raw.output }
        : raw.ok ? { ...raw, value: named(raw.value) } : raw;
      const paths = part.outputs ? Object.keys(part.outputs) : leafPaths(ref);
      const props = part.properties ?? [];
      if (!outcome.ok) {
        failures++;
        if (outcome.kind === 'timeout') timeouts++;
        const f = failureMessage(`${part.call}(${multi ? caseName(part, i) : '…'})`, outcome, input);
        location ??= f.location;
        messages.push(f.message);
        for (const p of paths) checks.push({ name: label(p), passed: false, weight: caseWeight * (part.outputs?.[p]?.weight ?? 1), points: 0, message: 'no output (see above)' });
        for (const p of props) checks.push({ name: label(p.name ?? describeProperty(p)), passed: false, weight: caseWeight * (p.weight ?? 1), points: 0, message: 'no output (see above)' });
        continue;
      }
      const derive = (out: unknown) => {
        const derived: Record<string, unknown> = {};
        for (const [name, d] of Object.entries(part.derive ?? {})) {
          const run = (item: unknown) => input.callReference(d.call, resolveRefs(d.args, input.fixtures, '', { item, output: out }) as unknown[]);
          if (d.map) {
            const list = getPath(out, d.map);
            derived[name] = list.found && Array.isArray(list.value) ? list.value.map(run) : { __unsupported: `"${d.map}" is not an array` };
          } else derived[name] = run(undefined);
        }
        return derived;
      };
      const view = (out: unknown, derived: Record<string, unknown>) =>
        out !== null && typeof out === 'object' && !Array.isArray(out) ? { ...(out as object), derived } : Object.assign(Array.isArray(out) ? [...out] : { value: out }, { derived });
      let studentView: unknown = outcome.value;
      let refView: unknown = ref;
      if (part.derive) {
        try {
          studentView = view(outcome.value, derive(outcome.value));
        } catch (e) {
          messages.push(`could not evaluate derived values on your output: ${(e as Error).message}`);
          studentView = view(outcome.value, {});
        }
        refView = view(ref, derive(ref));
      }
      for (const p of paths) {
        const s = part.outputs?.[p] ?? {};
        checks.push(compareOutput(label(p), p, studentView, refView, { compare: s.compare ?? part.compare, shape: s.shape ?? part.shape }, caseWeight * (s.weight ?? 1)));
      }
      for (const p of props) {
        const name = label(p.name ?? describeProperty(p));
        const weight = caseWeight * (p.weight ?? 1);
        const got = getPath(studentView, p.path);
        if (!got.found) {
          checks.push({ name, passed: false, weight, points: 0, message: `missing "${p.path}": ${got.have}` });
          continue;
        }
        try {
          const refVal = getPath(refView, p.path);
          const r = checkProperty(p, toNDArray(got.value, p.path), refVal.found ? toNDArray(refVal.value, p.path) : undefined);
          checks.push({ name, passed: r.passed, weight, points: 0, message: r.message, expected: r.expected ?? describeProperty(p), received: typeof r.received === 'number' ? r.received : r.received ? JSON.stringify(r.received) : undefined });
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          checks.push({ name, passed: false, weight, points: 0, message: e.message });
        }
      }
    }
    messages.push(...failedMessages(checks).filter((m) => !m.endsWith('no output (see above)')));
    const status = failures === part.cases.length ? (timeouts ? 'timeout' : 'error') : undefined;
    return { checks, messages, status, location, output };
  },
};
