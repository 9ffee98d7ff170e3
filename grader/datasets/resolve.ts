/**
 * Finding a data set on disk, loading it, and downloading it into the cache.
 *
 * Where a data set is looked for, in order:
 *   1. an explicit folder (from the spec or the CLI): authoritative — when it is
 *      given and lacks the files, that is an error, not a reason to look elsewhere;
 *   2. $NNGRADE_DATA/<name>/
 *   3. /usr/share/datasets/<name>/   (Debian: `apt-get install dataset-fashion-mnist`)
 *   4. the cache: $NNGRADE_CACHE/datasets/<name>/, else ~/.cache/nngrade/datasets/<name>/
 *      (where `nngrade data fetch <name>` / fetchDataset puts it).
 * A folder counts when it holds every file of the split (IDX files with or
 * without .gz; CIFAR-10 batches directly or in a cifar-10-batches-bin/ subfolder).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../util/errors.ts';
import { readIdxImageSet } from './idx.ts';
import { CIFAR10_META, CIFAR10_TEST_FILES, CIFAR10_TRAIN_FILES, readCifar10Files } from './cifar10.ts';
import { readTar } from './tar.ts';
import { CLASS_NAMES, DATASET_NAMES, type DatasetName, type ImageSet, type Split } from './types.ts';

export const SYSTEM_DATASETS_DIR = '/usr/share/datasets';

const IDX_FILES: Record<Split, [string, string]> = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

/** The files a split consists of (IDX names without .gz; either form is accepted). */
export function expectedFiles(name: DatasetName, split: Split): string[] {
  if (name === 'cifar10') return split === 'train' ? [...CIFAR10_TRAIN_FILES] : [...CIFAR10_TEST_FILES];
  return IDX_FILES[split].map((f) => `${f}.gz`);
}

export interface ResolveOptions {
  /** An explicit folder (spec or CLI). */
  path?: string;
  /** Environment to read NNGRADE_DATA / NNGRADE_CACHE from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Debian's data set folder (default /usr/share/datasets); for tests. */
  systemDir?: string;
  /** Home folder for ~/.cache (default os.homedir()); for tests. */
  homeDir?: string;
}

export type DatasetOrigin = 'explicit' | 'NNGRADE_DATA' | 'system' | 'cache';

export interface ResolvedDataset {
  name: DatasetName;
  split: Split;
  /** The folder the files are in. */
  dir: string;
  /** Absolute paths of the split's files, in order (IDX: images, labels; CIFAR-10: batches). */
  files: string[];
  origin: DatasetOrigin;
}

export function checkDatasetName(name: string): DatasetName {
  if ((DATASET_NAMES as readonly string[]).includes(name)) return name as DatasetName;
  throw new UserError(`unknown data set "${name}"`, { hint: `known data sets: ${DATASET_NAMES.join(', ')}` });
}

/** The cache folder for `name`: $NNGRADE_CACHE/datasets/<name> or ~/.cache/nngrade/datasets/<name>. */
export function datasetCacheDir(name: DatasetName, opts: Pick<ResolveOptions, 'env' | 'homeDir'> = {}): string {
  const env = opts.env ?? process.env;
  const root = env.NNGRADE_CACHE ? path.resolve(env.NNGRADE_CACHE) : path.join(opts.homeDir ?? os.homedir(), '.cache', 'nngrade');
  return path.join(root, 'datasets', name);
}

/** The folders looked at for `name`, in order, with where each comes from. */
export function candidateDirs(name: DatasetName, opts: ResolveOptions = {}): { dir: string; origin: DatasetOrigin }[] {
  const env = opts.env ?? process.env;
  if (opts.path) return [{ dir: path.resolve(opts.path), origin: 'explicit' }];
  const out: { dir: string; origin: DatasetOrigin }[] = [];
  if (env.NNGRADE_DATA) out.push({ dir: path.join(path.resolve(env.NNGRADE_DATA), name), origin: 'NNGRADE_DATA' });
  out.push({ dir: path.join(opts.systemDir ?? SYSTEM_DATASETS_DIR, name), origin: 'system' });
  out.push({ dir: datasetCacheDir(name, opts), origin: 'cache' });
  return out;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The split's files in `dir` (absolute), or null when any is missing. */
function filesIn(name: DatasetName, split: Split, dir: string): { dir: string; files: string[] } | null {
  if (name === 'cifar10') {
    for (const d of [dir, path.join(dir, 'cifar-10-batches-bin')]) {
      const files = expectedFiles(name, split).map((f) => path.join(d, f));
      if (files.every(isFile)) return { dir: d, files };
    }
    return null;
  }
  const files: string[] = [];
  for (const base of IDX_FILES[split]) {
    const hit = [`${base}.gz`, base].map((f) => path.join(dir, f)).find(isFile);
    if (!hit) return null;
    files.push(hit);
  }
  return { dir, files };
}

/** How to get `name`, for error messages. */
export function howToGet(name: DatasetName): string[] {
  const ways = [`run \`nngrade data fetch ${name}\` to download it into the cache (${name === 'cifar10' ? '~170 MB' : '~30 MB'}, checksums verified)`];
  if (name === 'fashion-mnist') ways.push('or, on Debian/Ubuntu: `sudo apt-get install dataset-fashion-mnist` (installs /usr/share/datasets/fashion-mnist)');
  ways.push(`or pass --data <folder> (to check, grade or validate) or set NNGRADE_DATA, where the folder holds ${name}/ with the files above, or give the folder in the spec's fixture (path)`);
  return ways;
}

/** Finds the split's files; a UserError listing every folder looked at and every file expected when nothing is found. */
export function resolveDataset(name: DatasetName, split: Split, opts: ResolveOptions = {}): ResolvedDataset {
  checkDatasetName(name);
  const candidates = candidateDirs(name, opts);
  for (const c of candidates) {
    const hit = filesIn(name, split, c.dir);
    if (hit) return { name, split, dir: hit.dir, files: hit.files, origin: c.origin };
  }
  const expected = expectedFiles(name, split);
  const alt = name === 'cifar10' ? ' (in the folder or in its cifar-10-batches-bin/ subfolder)' : ' (or the same names without .gz)';
  const looked = candidates.map((c) => `${c.dir}${existsSync(c.dir) ? ' (exists, files missing)' : ' (does not exist)'} [${c.origin}]`);
  const explicit = candidates[0]?.origin === 'explicit';
  throw new UserError(
    `the ${name} ${split} set was not found${explicit ? ` in the folder given (${candidates[0]!.dir})` : ''}`,
    {
      details: [`looked in: ${looked.join('; ')}`, `expected files: ${expected.join(', ')}${alt}`],
      hint: howToGet(name).join('; '),
    },
  );
}

/** Resolves and reads a split. Class names are attached; labels are checked against them. */
export async function loadDataset(name: DatasetName, split: Split, opts: ResolveOptions = {}): Promise<ImageSet & { resolved: ResolvedDataset }> {
  const r = resolveDataset(name, split, opts);
  if (name === 'cifar10') {
    // Official downloads must be whole (10,000 records a batch); a folder someone gives (NNGRADE_DATA,
    // a spec's path or fallback) may hold smaller batches in the same format, e.g. a subset.
    const set = await readCifar10Files(r.dir, expectedFiles(name, split), { strict: r.origin === 'system' || r.origin === 'cache' });
    return { ...set, resolved: r };
  }
  const set = await readIdxImageSet(r.files[0]!, r.files[1]!, { classNames: CLASS_NAMES[name] });
  return { ...set, resolved: r };
}

// ---------------------------------------------------------------------------
// Downloading

export interface Checksum {
  algorithm: 'sha256' | 'md5';
  hex: string;
}

export interface RemoteFile {
  /** Name in the cache folder. */
  file: string;
  /** Mirrors, tried in order. */
  urls: string[];
  checksum: Checksum;
  bytes?: number;
}

/**
 * The official files and their published checksums.
 *
 * - MNIST: SHA-256 as published by TensorFlow Datasets / torchvision and many
 *   independent projects (all agree). Yann LeCun's site often refuses downloads
 *   now, so the mirrors used by torchvision and TensorFlow come first.
 * - Fashion-MNIST: Zalando Research publishes MD5 checksums only (README of
 *   github.com/zalandoresearch/fashion-mnist); those are verified. Two different
 *   SHA-256 values circulate for the same .gz files, so no SHA-256 is claimed here.
 *   (Debian's dataset-fashion-mnist recompressed the files: its .gz bytes differ
 *   from the official ones, though the images are the same.)
 * - CIFAR-10: the binary archive cifar-10-binary.tar.gz (170,052,171 bytes);
 *   SHA-256 as published by TensorFlow Datasets and others, MD5 c32a1d4ab5d03f1284b67883e8d87530
 *   on the CIFAR page.
 */
export const REMOTE_FILES: Record<DatasetName, RemoteFile[]> = {
  mnist: [
    ['train-images-idx3-ubyte.gz', '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609', 9912422],
    ['train-labels-idx1-ubyte.gz', '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c', 28881],
    ['t10k-images-idx3-ubyte.gz', '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6', 1648877],
    ['t10k-labels-idx1-ubyte.gz', 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6', 4542],
  ].map(([file, hex, bytes]) => ({
    file: file as string,
    urls: [
      `https://ossci-datasets.s3.amazonaws.com/mnist/${file}`,
      `https://storage.googleapis.com/cvdf-datasets/mnist/${file}`,
      `https://yann.lecun.com/exdb/mnist/${file}`,
    ],
    checksum: { algorithm: 'sha256' as const, hex: hex as string },
    bytes: bytes as number,
  })),
  'fashion-mnist': [
    ['train-images-idx3-ubyte.gz', '8d4fb7e6c68d591d4c3dfef9ec88bf0d'],
    ['train-labels-idx1-ubyte.gz', '25c81989df183df01b3e8a0aad5dffbe'],
    ['t10k-images-idx3-ubyte.gz', 'bef4ecab320f06d8554ea6380940ec79'],
    ['t10k-labels-idx1-ubyte.gz', 'bb300cfdad3c16e7a12a480ee83cd310'],
  ].map(([file, hex]) => ({
    file: file!,
    urls: [
      `http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/${file}`,
      `https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/${file}`,
    ],
    checksum: { algorithm: 'md5' as const, hex: hex! },
  })),
  cifar10: [
    {
      file: 'cifar-10-binary.tar.gz',
      urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
      checksum: { algorithm: 'sha256', hex: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd' },
      bytes: 170052171,
    },
  ],
};

/** The subset of the WHATWG fetch API used here (inject a fake in tests). */
export type FetchLike = (url: string) => Promise<{ ok: boolean; status: number; statusText?: string; arrayBuffer(): Promise<ArrayBuffer> }>;

export interface FetchOptions {
  fetch?: FetchLike;
  /** Where to put the files (default: datasetCacheDir(name)). */
  dir?: string;
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** Download again even when verified files are present. */
  force?: boolean;
  /** Replaces REMOTE_FILES[name] (a private mirror, or tests); checksums stay mandatory. */
  files?: RemoteFile[];
  onProgress?: (message: string) => void;
}

export interface FetchResult {
  dir: string;
  /** Files now in `dir` (for cifar10: the extracted batches and batches.meta.txt). */
  files: string[];
  downloaded: string[];
  alreadyPresent: string[];
}

function digest(data: Uint8Array, algorithm: Checksum['algorithm']): string {
  return createHash(algorithm).update(data).digest('hex');
}

/** Writes `data` to `file` through a temp file in the same folder and a rename: never a half-written file. */
async function writeAtomic(file: string, data: Uint8Array): Promise<void> {
  const tmp = `${file}.part-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    // The folder is made with the first verified file, so a failed download leaves nothing behind.
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function download(remote: RemoteFile, fetchFn: FetchLike, log: (m: string) => void): Promise<Uint8Array> {
  const failures: string[] = [];
  for (const url of remote.urls) {
    let data: Uint8Array;
    try {
      log(`downloading ${url}`);
      const res = await fetchFn(url);
      if (!res.ok) {
        failures.push(`${url}: HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
        continue;
      }
      data = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      failures.push(`${url}: ${(e as Error).message}`);
      continue;
    }
    const got = digest(data, remote.checksum.algorithm);
    if (got !== remote.checksum.hex) {
      failures.push(`${url}: checksum mismatch: expected ${remote.checksum.algorithm} ${remote.checksum.hex}, got ${got} (${data.byteLength} bytes${remote.bytes ? `, expected ${remote.bytes}` : ''})`);
      continue;
    }
    return data;
  }
  throw new UserError(`could not download ${remote.file}; nothing was written`, { details: failures });
}

async function verified(file: string, checksum: Checksum): Promise<boolean> {
  const data = await readFile(file).catch(() => undefined);
  return data !== undefined && digest(data, checksum.algorithm) === checksum.hex;
}

/**
 * Downloads the official files of `name` into the cache folder and verifies
 * their checksums (mirrors are tried in order). Every file is written to a temp
 * file and renamed into place, so an interrupted or failed download leaves no
 * half-written file. CIFAR-10's archive is verified, then its batches and
 * batches.meta.txt are extracted (the archive itself is not kept).
 */
export async function fetchDataset(name: DatasetName, opts: FetchOptions = {}): Promise<FetchResult> {
  checkDatasetName(name);
  const fetchFn = opts.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (!fetchFn) throw new Error('fetchDataset: no fetch implementation available');
  const log = opts.onProgress ?? (() => {});
  const dir = opts.dir ?? datasetCacheDir(name, opts);
  const result: FetchResult = { dir, files: [], downloaded: [], alreadyPresent: [] };

  if (name === 'cifar10') {
    const wanted = [...CIFAR10_TRAIN_FILES, ...CIFAR10_TEST_FILES, CIFAR10_META];
    const present = wanted.every((f) => isFile(path.join(dir, f)));
    if (present && !opts.force) {
      result.files = wanted.map((f) => path.join(dir, f));
      result.alreadyPresent = [...result.files];
      return result;
    }
    const remote = (opts.files ?? REMOTE_FILES.cifar10)[0]!;
    const archive = await download(remote, fetchFn, log);
    const entries = readTar(archive, remote.file);
    const byName = new Map(entries.map((e) => [path.basename(e.name), e.data]));
    const missing = wanted.filter((f) => !byName.has(f));
    if (missing.length) throw new UserError(`${remote.file} does not hold ${missing.join(', ')}; nothing was written`);
    for (const f of wanted) {
      await writeAtomic(path.join(dir, f), byName.get(f)!);
      result.files.push(path.join(dir, f));
    }
    result.downloaded.push(remote.file);
    return result;
  }

  for (const remote of opts.files ?? REMOTE_FILES[name]) {
    const file = path.join(dir, remote.file);
    if (!opts.force && (await verified(file, remote.checksum))) {
      result.alreadyPresent.push(file);
      result.files.push(file);
      continue;
    }
    const data = await download(remote, fetchFn, log);
    await writeAtomic(file, data);
    result.downloaded.push(file);
    result.files.push(file);
  }
  return result;
}
