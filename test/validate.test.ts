// `validate` grades the reference against its own spec: a spec that would cost correct students points
// fails, with the part's pointer and line and a plain reason. Every shipped spec passes (check.test.ts).
import { describe, expect, it } from 'vitest';
import { cli, specVariant } from './helpers.ts';

const SCRATCH = ['scratch-forward', 'scratch-backprop'];
const variant = (edit: (parts: Record<string, any>[]) => void) => specVariant('fashion-mnist-hw4', (s) => {
  s.parts = s.parts.filter((p: { id: string }) => SCRATCH.includes(p.id) || p.id === 'ffn-architecture');
  edit(s.parts);
  s.points = s.parts.reduce((n: number, p: { points: number }) => n + p.points, 0);
});

describe('nngrade validate grades the reference', () => {
  it('an output path the reference does not have is a spec error at its part', () => {
    const spec = variant((parts) => { parts[1].outputs = { L: {}, 'gradients.dX': {} }; });
    const r = cli(['validate', spec]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/assignment\.json:\d+:\d+ \/parts\/1: the reference itself gets [\d.]+ of 5 points on part "scratch-backprop" \(partial\): .*gradients\.dX.*the reference has no output "gradients\.dX"/);
  });

  it('a property the reference itself fails is a spec error', () => {
    const spec = variant((parts) => { parts[0].properties = [{ name: 'outputs are negative', path: 'Y', of: 'max', op: '<', value: 0 }]; });
    const r = cli(['validate', spec]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/parts\/0: the reference itself gets [\d.]+ of 3 points on part "scratch-forward" .*outputs are negative/);
  });

  it('a misspelled property field is a schema error in an architecture part, as in a function part', () => {
    for (const i of [0, 2]) {
      const spec = variant((parts) => {
        const prop = { name: 'x', of: 'meen', op: '<', value: 1, ...(i === 2 ? { input: { random: [1, 784] } } : { path: 'Y' }) };
        if (i === 2) parts[2].outputs = [prop];
        else parts[0].properties = [prop];
      });
      const r = cli(['validate', spec]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`/parts/${i}/(properties|outputs)/0/of.*(meen|must be one of)`));
    }
  });

  it('--no-self-grade skips the sandbox; a correct variant validates with the count of parts graded', () => {
    const bad = variant((parts) => { parts[1].outputs = { 'gradients.dX': {} }; });
    expect(cli(['validate', bad, '--no-self-grade']).code).toBe(0);
    const ok = cli(['validate', variant(() => {})]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('the reference gets full marks on 3 parts');
  });
});
