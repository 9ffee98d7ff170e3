import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, ROOT } from './helpers.ts';

function run(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('nngrade data', () => {
  it('where: a missing data set lists every folder looked at, every file expected, and how to get it (exit 1)', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'nngrade-nodata-'));
    const r = run(['data', 'where', 'cifar10'], { NNGRADE_DATA: empty, NNGRADE_CACHE: empty });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${path.join(empty, 'cifar10')} (does not exist) [NNGRADE_DATA]`);
    expect(r.out).toContain('expected files: data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin');
    expect(r.out).toContain('nngrade data fetch cifar10');
  });

  it('an unknown data set name is a usage error', () => {
    const r = run(['data', 'where', 'imagenet'], {});
    expect(r.code).toBe(2);
    expect(r.out).toContain('unknown data set "imagenet"');
    expect(r.out).toContain('known data sets: fashion-mnist, mnist, cifar10');
  });
});

describe('--data on check and grade', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NNGRADE_DATA: '' } });
  it('a folder that is not there is a usage error saying what to give', () => {
    const r = run(['check', 'mnist-cnn-hw5', 'submissions/mnist-cnn-hw5/correct', '--data', '/no/such/dir']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--data "/no/such/dir" is not a folder');
  });
  it('a missing data set names the flag in its hint (and only flags that exist)', () => {
    const r = run(['check', 'mnist-cnn-hw5', 'submissions/mnist-cnn-hw5/correct', '--all', '--part', 'cnn-training', '--data', mkdtempSync(path.join(os.tmpdir(), 'nngrade-nodata-'))]);
    expect(r.stdout).toMatch(/or pass --data <folder> \(to check, grade or validate\)/);
    expect(r.stdout).toMatch(/\[NNGRADE_DATA\]/);
  });
});
