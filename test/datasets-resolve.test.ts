import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../grader/util/errors.ts';
import {
  REMOTE_FILES,
  datasetCacheDir,
  expectedFiles,
  fetchDataset,
  loadDataset,
  resolveDataset,
  type FetchLike,
  type RemoteFile,
} from '../grader/datasets/resolve.ts';
import { encodeIdx } from '../grader/datasets/idx.ts';
import { encodeCifar10Batch } from '../grader/datasets/cifar10.ts';
import { readTar } from '../grader/datasets/tar.ts';

const tmp = (p = 'nngrade-ds-') => mkdtempSync(path.join(os.tmpdir(), p));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function writeIdxSplit(dir: string, split: 'train' | 'test', n: number, gz = true): void {
  mkdirSync(dir, { recursive: true });
  const pre = split === 'train' ? 'train' : 't10k';
  const img = encodeIdx({ type: 'uint8', dims: [n, 28, 28], data: Uint8Array.from({ length: n * 784 }, (_, i) => i % 251) });
  const lab = encodeIdx({ type: 'uint8', dims: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 10) });
  writeFileSync(path.join(dir, `${pre}-images-idx3-ubyte${gz ? '.gz' : ''}`), gz ? gzipSync(img) : img);
  writeFileSync(path.join(dir, `${pre}-labels-idx1-ubyte${gz ? '.gz' : ''}`), gz ? gzipSync(lab) : lab);
}

function catchUserError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

/** A ustar archive written by hand (512-byte headers). */
function tarOf(files: Record<string, Uint8Array>): Uint8Array {
  const blocks: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    h.fill(' ', 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

describe('finding data sets', () => {
  it('looks in the explicit folder, then $NNGRADE_DATA/<name>, then /usr/share/datasets/<name>, then the cache', () => {
    const root = tmp();
    const env = { NNGRADE_DATA: path.join(root, 'data'), NNGRADE_CACHE: path.join(root, 'cache') };
    const systemDir = path.join(root, 'system');
    const opts = { env, systemDir, homeDir: root };
    writeIdxSplit(path.join(root, 'cache', 'datasets', 'mnist'), 'test', 3);
    expect(resolveDataset('mnist', 'test', opts).origin).toBe('cache');
    writeIdxSplit(path.join(systemDir, 'mnist'), 'test', 3);
    expect(resolveDataset('mnist', 'test', opts).origin).toBe('system');
    writeIdxSplit(path.join(root, 'data', 'mnist'), 'test', 3, false);
    const r = resolveDataset('mnist', 'test', opts);
    expect(r.origin).toBe('NNGRADE_DATA');
    expect(r.files.map((f) => path.basename(f))).toEqual(['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
    writeIdxSplit(path.join(root, 'mine'), 'test', 3);
    expect(resolveDataset('mnist', 'test', { ...opts, path: path.join(root, 'mine') }).origin).toBe('explicit');
    expect(datasetCacheDir('mnist', { env: {}, homeDir: '/home/u' })).toBe('/home/u/.cache/nngrade/datasets/mnist');
  });

  it('an explicit folder without the files is an error, not a fallback', () => {
    const root = tmp();
    writeIdxSplit(path.join(root, 'data', 'mnist'), 'test', 3);
    const e = catchUserError(() => resolveDataset('mnist', 'test', { path: path.join(root, 'empty'), env: { NNGRADE_DATA: path.join(root, 'data') } }));
    expect(e.message).toContain(`not found in the folder given (${path.join(root, 'empty')})`);
  });

  it('when nothing is found, the error lists every folder looked at, every file expected, and how to get the data', () => {
    const root = tmp();
    mkdirSync(path.join(root, 'system', 'fashion-mnist'), { recursive: true });
    const env = { NNGRADE_DATA: path.join(root, 'data') };
    const e = catchUserError(() => resolveDataset('fashion-mnist', 'train', { env, systemDir: path.join(root, 'system'), homeDir: root }));
    const all = [e.message, ...e.details, e.hint].join('\n');
    expect(e.message).toBe('the fashion-mnist train set was not found');
    for (const p of [path.join(root, 'data', 'fashion-mnist'), path.join(root, 'system', 'fashion-mnist'), path.join(root, '.cache', 'nngrade', 'datasets', 'fashion-mnist')]) expect(all).toContain(p);
    expect(all).toContain('(exists, files missing)');
    expect(all).toContain('train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz');
    expect(all).toContain('nngrade data fetch fashion-mnist');
    expect(all).toContain('apt-get install dataset-fashion-mnist');
    expect(all).toContain('NNGRADE_DATA');
    const c = catchUserError(() => resolveDataset('cifar10', 'test', { env: {}, systemDir: path.join(root, 'system'), homeDir: root }));
    expect(c.details.join('\n')).toContain('test_batch.bin (in the folder or in its cifar-10-batches-bin/ subfolder)');
    expect(expectedFiles('cifar10', 'train')).toHaveLength(5);
    expect(() => resolveDataset('imagenet' as never, 'test')).toThrow(/unknown data set "imagenet"/);
  });

  it('loads a split with its class names; CIFAR-10 from a cifar-10-batches-bin subfolder', async () => {
    const root = tmp();
    writeIdxSplit(path.join(root, 'fashion-mnist'), 'test', 20);
    const set = await loadDataset('fashion-mnist', 'test', { env: { NNGRADE_DATA: root }, systemDir: path.join(root, 'none'), homeDir: root });
    expect(set.shape).toEqual([20, 28, 28]);
    expect(set.classNames?.[9]).toBe('Ankle boot');
    const cdir = path.join(root, 'cifar10', 'cifar-10-batches-bin');
    mkdirSync(cdir, { recursive: true });
    writeFileSync(path.join(cdir, 'test_batch.bin'), encodeCifar10Batch(new Uint8Array(10000 * 3072), Uint8Array.from({ length: 10000 }, (_, i) => i % 10)));
    const c = await loadDataset('cifar10', 'test', { env: { NNGRADE_DATA: root }, systemDir: path.join(root, 'none'), homeDir: root });
    expect(c.shape).toEqual([10000, 32, 32, 3]);
    expect(c.resolved.dir).toBe(cdir);
  });

  it.skipIf(!existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'))('finds Debian\'s Fashion-MNIST when nothing else has it', async () => {
    const r = resolveDataset('fashion-mnist', 'train', { env: {}, homeDir: tmp() });
    expect(r.origin).toBe('system');
    expect(r.dir).toBe('/usr/share/datasets/fashion-mnist');
  });
});

describe('downloading data sets (fake fetch)', () => {
  const serve = (table: Record<string, Uint8Array | number>): FetchLike & { calls: string[] } => {
    const calls: string[] = [];
    const f = (async (url: string) => {
      calls.push(url);
      const v = table[url];
      if (v === undefined || typeof v === 'number') return { ok: false, status: typeof v === 'number' ? v : 404, statusText: 'Not Found', arrayBuffer: async () => new ArrayBuffer(0) };
      return { ok: true, status: 200, arrayBuffer: async () => new Uint8Array(v).buffer };
    }) as FetchLike & { calls: string[] };
    f.calls = calls;
    return f;
  };

  it('knows the official files and checksums', () => {
    expect(REMOTE_FILES.mnist.map((f) => f.checksum.hex)).toContain('440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609');
    expect(REMOTE_FILES['fashion-mnist'].every((f) => f.checksum.algorithm === 'md5')).toBe(true);
    expect(REMOTE_FILES.cifar10[0]!.checksum.hex).toBe('c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd');
  });

  it('a checksum mismatch on every mirror is a clear error and leaves nothing behind', async () => {
    const dir = tmp();
    const file = REMOTE_FILES.mnist[0]!;
    const table = Object.fromEntries(file.urls.map((u) => [u, new Uint8Array([1, 2, 3])]));
    const err = await fetchDataset('mnist', { fetch: serve(table), dir }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe('could not download train-images-idx3-ubyte.gz; nothing was written');
    expect(err.details[0]).toContain(`${file.urls[0]}: checksum mismatch: expected sha256 ${file.checksum.hex}, got ${sha256(new Uint8Array([1, 2, 3]))} (3 bytes, expected 9912422)`);
    expect(err.details).toHaveLength(file.urls.length);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('downloads, verifies, writes atomically, skips verified files next time, and tries the next mirror on failure', async () => {
    const root = tmp();
    const env = { NNGRADE_CACHE: path.join(root, 'cache') };
    const payloads = { a: gzipSync(encodeIdx({ type: 'uint8', dims: [2, 28, 28], data: new Uint8Array(2 * 784).fill(7) })), b: gzipSync(encodeIdx({ type: 'uint8', dims: [2], data: Uint8Array.from([3, 4]) })) };
    const files: RemoteFile[] = [
      { file: 't10k-images-idx3-ubyte.gz', urls: ['https://m1/a', 'https://m2/a'], checksum: { algorithm: 'sha256', hex: sha256(payloads.a) } },
      { file: 't10k-labels-idx1-ubyte.gz', urls: ['https://m1/b'], checksum: { algorithm: 'md5', hex: createHash('md5').update(payloads.b).digest('hex') } },
    ];
    const fetch = serve({ 'https://m1/a': 503, 'https://m2/a': payloads.a, 'https://m1/b': payloads.b });
    const r = await fetchDataset('mnist', { fetch, files, env, homeDir: root });
    expect(r.dir).toBe(path.join(root, 'cache', 'datasets', 'mnist'));
    expect(r.downloaded).toHaveLength(2);
    expect(fetch.calls).toEqual(['https://m1/a', 'https://m2/a', 'https://m1/b']);
    expect(readdirSync(r.dir).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
    const again = await fetchDataset('mnist', { fetch, files, env, homeDir: root });
    expect(again.alreadyPresent).toHaveLength(2);
    expect(fetch.calls).toHaveLength(3);
    // The cache is where resolve looks last.
    const set = await loadDataset('mnist', 'test', { env, systemDir: path.join(root, 'none'), homeDir: root });
    expect(Array.from(set.y)).toEqual([3, 4]);
    // A network error is reported per mirror.
    const failing: FetchLike = async () => {
      throw new Error('getaddrinfo ENOTFOUND m1');
    };
    const e = await fetchDataset('mnist', { fetch: failing, files, dir: tmp(), force: true }).catch((x) => x);
    expect(e.details).toEqual(['https://m1/a: getaddrinfo ENOTFOUND m1', 'https://m2/a: getaddrinfo ENOTFOUND m1']);
  });

  it('CIFAR-10: verifies the archive, then extracts the batches and batches.meta.txt', async () => {
    const dir = tmp();
    const batches: Record<string, Uint8Array> = {};
    for (const f of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
      batches[`cifar-10-batches-bin/${f}`] = encodeCifar10Batch(new Uint8Array(3072), Uint8Array.from([f.length % 10]));
    }
    batches['cifar-10-batches-bin/batches.meta.txt'] = Buffer.from('airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
    batches['cifar-10-batches-bin/readme.html'] = Buffer.from('<html></html>');
    const archive = gzipSync(tarOf(batches));
    expect(readTar(archive).map((e) => e.name)).toHaveLength(8);
    const files: RemoteFile[] = [{ file: 'cifar-10-binary.tar.gz', urls: ['https://x/c.tgz'], checksum: { algorithm: 'sha256', hex: sha256(archive) } }];
    const r = await fetchDataset('cifar10', { fetch: serve({ 'https://x/c.tgz': archive }), files, dir });
    expect(readdirSync(dir).sort()).toEqual(['batches.meta.txt', 'data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']);
    expect(r.files).toHaveLength(7);
    expect(readFileSync(path.join(dir, 'test_batch.bin')).length).toBe(3073);
    // A corrupted archive: nothing extracted.
    const dir2 = tmp();
    const bad = await fetchDataset('cifar10', { fetch: serve({ 'https://x/c.tgz': archive.subarray(0, 100) }), files, dir: dir2 }).catch((e) => e);
    expect(bad.details[0]).toMatch(/checksum mismatch/);
    expect(readdirSync(dir2)).toEqual([]);
  });
});
