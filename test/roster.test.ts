// The roster CSV: header spellings, every bad row named by its CSV line, entries mapped to student ids.
import { describe, expect, it } from 'vitest';
import { applyRoster, parseRoster } from '../grader/batch/roster.ts';
import type { ClassEntry } from '../grader/batch/entries.ts';

const err = (text: string) => {
  try {
    parseRoster(text, 'roster.csv');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('parseRoster', () => {
  it('reads LMS-style headers in any order and case, a BOM, quoted fields, blank lines', () => {
    const r = parseRoster('\ufeffSIS User ID,Email,Submission,Student, Section \n1001,a@x.edu,hw4-alice,alice,A\n\n"1,002",b@x.edu,"hw4-bob, jr",bob,B\n', 'roster.csv');
    expect(r.rows).toEqual([
      { line: 2, submission: 'hw4-alice', student: 'alice', email: 'a@x.edu', sisId: '1001', section: 'A' },
      { line: 4, submission: 'hw4-bob, jr', student: 'bob', email: 'b@x.edu', sisId: '1,002', section: 'B' },
    ]);
  });

  it('a student column alone: the submission is the student id', () => {
    expect(parseRoster('student,email\nalice,a@x.edu\n', 'r.csv').rows[0]).toMatchObject({ submission: 'alice', student: 'alice' });
  });

  it('bad rosters: what was expected, what came, and the CSV line', () => {
    expect(err('')).toMatch(/roster\.csv is empty: expected a header row/);
    expect(err('name,email\nx,y\n')).toBe('roster.csv:1: the header has no submission or student column (it has: name, email)');
    expect(err('submission,student\na,x\nb,y\na,z\n')).toBe('roster.csv:4: submission "a" is already on line 2');
    expect(err('submission,student\na,x\nb,x\n')).toBe('roster.csv:3: student "x" is already on line 2');
    expect(err('submission,student\na,x\n,\n')).toBe('roster.csv:3: the submission column is blank');
    expect(err('student\n../x\n')).toMatch(/roster\.csv:2: student id "\.\.\/x" cannot name a results file/);
    expect(err('submission\n"a\n')).toMatch(/roster\.csv is not a readable CSV: Quote Not Closed/);
  });
});

describe('applyRoster', () => {
  const entries: ClassEntry[] = ['hw4-alice', 'hw4-bob', 'stranger'].map((id) => ({ id, dir: `/class/${id}` }));
  it('maps entries to student ids; names who is not on the roster and who handed in nothing', () => {
    const roster = parseRoster('submission,student\nhw4-alice,alice\nhw4-bob,bob\nhw4-carol,carol\n', 'r.csv');
    const m = applyRoster(entries, roster);
    expect(m.entries.map((e) => [e.id, e.dir])).toEqual([['alice', '/class/hw4-alice'], ['bob', '/class/hw4-bob'], ['stranger', '/class/stranger']]);
    expect(m.unlisted).toEqual(['stranger']);
    expect(m.absent.map((r) => r.student)).toEqual(['carol']);
  });
  it('an unlisted entry named like another row\'s student would share its results file: refused', () => {
    const roster = parseRoster('submission,student\nhw4-alice,stranger\n', 'r.csv');
    expect(() => applyRoster(entries, roster)).toThrow(/r\.csv:2: student "stranger" is handed in as "hw4-alice", but the class folder also holds an entry named "stranger"/);
  });
});
