import { readFile } from 'node:fs/promises';

/** A data file's bytes, with an error that names the file. */
export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file}: no such file`);
    throw new Error(`${file}: cannot read: ${(e as Error).message}`);
  }
}
