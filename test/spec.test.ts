import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { assignmentSchema } from '../grader/spec/schema.ts';
import { loadAssignment, SpecError } from '../grader/spec/load.ts';
import { cli, lineOf, readSpec, ROOT, specVariant } from './helpers.ts';

const shipped = readdirSync(path.join(ROOT, 'assignments')).filter((d) => existsSync(path.join(ROOT, 'assignments', d, 'assignment.json')));

function problems(file: string): string[] {
  try {
    loadAssignment(file);
  } catch (e) {
    if (e instanceof SpecError) return e.details;
    throw e;
  }
  return [];
}

describe('the assignment schema', () => {
  it('assignments/assignment.schema.json is the schema the part kinds compose (run `nngrade schema > assignments/assignment.schema.json`)', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'assignments', 'assignment.schema.json'), 'utf8'));
    expect(committed).toEqual(assignmentSchema());
  });

  it('every shipped spec names the schema and validates (nngrade validate exits 0)', () => {
    expect(shipped.length).toBeGreaterThan(0);
    for (const id of shipped) {
      const spec = JSON.parse(readFileSync(path.join(ROOT, 'assignments', id, 'assignment.json'), 'utf8'));
      expect(spec.$schema).toBe('../assignment.schema.json');
    }
    const r = cli(['validate', ...shipped.map((id) => `assignments/${id}`)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/✓/g)?.length).toBe(shipped.length);
  });
});

describe('nngrade validate reports every problem with file:line and JSON pointer', () => {
  it('malformed JSON: the line and column, no stack trace', () => {
    const file = specVariant('fashion-mnist-hw4', () => {}, (t) => t.replace('"points": 3,', '"points": 3,,'));
    const r = cli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`assignment.json:${lineOf(file, '"points": 3,,')}:\\d+: the assignment spec is not valid JSON`));
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  });

  it('an unknown part kind names the known ones', () => {
    const file = specVariant('fashion-mnist-hw4', (s) => { s.parts[1].kind = 'functoin'; });
    const p = problems(file);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/\/parts\/1\/kind: unknown part kind "functoin" \(did you mean "function"\?\); known kinds: function, gradcheck, answer/);
    expect(p[0]).toContain(`assignment.json:${lineOf(file, '"functoin"')}:`);
  });

  it('schema errors in plain words: missing field, wrong type, bad enum, unknown field', () => {
    const file = specVariant('fashion-mnist-hw4', (s) => {
      delete s.parts[0].title;
      s.parts[1].points = 'five';
      s.parts[2].visibility = 'secret';
      s.parts[3].tolerance = 1e-7;
    });
    const p = problems(file).join('\n');
    expect(p).toContain('/parts/0: missing required field "title"');
    expect(p).toContain('/parts/1/points: must be a number (got "five")');
    expect(p).toMatch(/\/parts\/2\/visibility: must be one of "visible", "hidden", "after_due_date", "after_published" \(got "secret"\)/);
    expect(p).toMatch(/\/parts\/3\/tolerance: unknown field "tolerance"/);
  });

  it('consistency: points add up, ids unique, exports declared', () => {
    const total = readSpec('fashion-mnist-hw4').points;
    const file = specVariant('fashion-mnist-hw4', (s) => {
      s.points = total + 10;
      s.parts[3].id = s.parts[1].id;
      s.submission.exports = s.submission.exports.filter((e: string) => e !== 'backPropagation');
    });
    const p = problems(file).join('\n');
    expect(p).toMatch(new RegExp(`/points: the parts' points add up to ${total} .*but the spec says ${total + 10}`));
    expect(p).toContain('/parts/3/id: part id "scratch-backprop" is already used by /parts/1');
    expect(p).toContain('calls the export "backPropagation", which /submission/exports does not list');
  });

  it('fixtures: a missing .npy file, a bad draw statement, an unknown fixture reference', () => {
    const file = specVariant('fashion-mnist-hw4', (s) => {
      s.fixtures.files = { kind: 'npy', files: { X: 'no/such/X.npy' } };
      s.fixtures.hw.draws[2] = 'W2 = randn(3';
    });
    const p = problems(file).join('\n');
    expect(p).toContain('/fixtures/files/files/X: fixture file not found: no/such/X.npy');
    expect(p).toMatch(/\/fixtures\/hw\/draws\/2: .*W2 = randn\(3/);
    const file2 = specVariant('fashion-mnist-hw4', (s) => { s.parts[0].cases[0].args[0] = '$hw.Xs'; });
    expect(problems(file2).join('\n')).toContain('/parts/0/cases/0/args/0: "$hw.Xs": fixture set "hw" has no value "Xs" (it has: W1, b1, W2, b2, X, Y)');
  });

  it('the reference must exist and export what the parts call', () => {
    const file = specVariant('fashion-mnist-hw4', (s) => { s.reference.entry = 'nowhere/index.ts'; });
    expect(problems(file).join('\n')).toContain('/reference/entry: the reference implementation was not found');
    const file2 = specVariant('fashion-mnist-hw4', (s) => {
      s.submission.exports.push('trainModel');
      s.parts[0].call = 'trainModel';
    });
    const r = cli(['validate', file2]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the reference does not export "trainModel"');
  });

  it('a missing assignment path is a clear error', () => {
    const r = cli(['validate', 'assignments/no-such-thing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('assignment not found: assignments/no-such-thing');
  });
});
