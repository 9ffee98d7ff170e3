#!/usr/bin/env node
// Regenerates data/fashion-mnist-subset/ from Debian's dataset-fashion-mnist package:
// the first N (default 1000) images and labels of the Fashion-MNIST TEST set, as IDX
// files compressed with gzip (zlib level 9, no file name, mtime 0).
//
//   node data/make-fashion-mnist-subset.mjs            # write the files
//   node data/make-fashion-mnist-subset.mjs --check    # verify the committed files
//
// The IDX payloads are byte-identical to the first records of the source files; the
// .gz bytes are reproducible with the same zlib version (Node's bundled zlib).
// Source directory: $FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const N = Number(process.env.SUBSET_SIZE ?? 1000);
const SRC = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fashion-mnist-subset');
const check = process.argv.includes('--check');

function cut(file, headerBytes, recordBytes) {
  const raw = gunzipSync(readFileSync(path.join(SRC, file)));
  const count = raw.readUInt32BE(4);
  if (count < N) throw new Error(`${file} has only ${count} records`);
  const out = Buffer.from(raw.subarray(0, headerBytes + N * recordBytes));
  out.writeUInt32BE(N, 4); // the record count
  return out;
}

const files = {
  't10k-images-idx3-ubyte.gz': cut('t10k-images-idx3-ubyte.gz', 16, 28 * 28),
  't10k-labels-idx1-ubyte.gz': cut('t10k-labels-idx1-ubyte.gz', 8, 1),
};
let bad = 0;
for (const [name, idx] of Object.entries(files)) {
  const gz = gzipSync(idx, { level: 9 });
  const sha = (b) => createHash('sha256').update(b).digest('hex');
  const target = path.join(OUT, name);
  if (check) {
    const have = readFileSync(target);
    const sameIdx = sha(gunzipSync(have)) === sha(idx);
    const sameGz = sha(have) === sha(gz);
    console.log(`${name}: IDX payload ${sameIdx ? 'identical' : 'DIFFERENT'}; gzip bytes ${sameGz ? 'identical' : 'differ (another zlib version?)'}`);
    if (!sameIdx) bad++;
  } else {
    writeFileSync(target, gz);
    console.log(`${name}: ${N} records, IDX ${idx.length} bytes sha256 ${sha(idx)}, gzip ${gz.length} bytes sha256 ${sha(gz)}`);
  }
}
process.exit(bad ? 1 : 0);
