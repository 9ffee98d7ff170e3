/**
 * The private overlay a grader adds to a public release (`--private`, or NNGRADE_PRIVATE): a folder,
 * a .tgz of one (as `nngrade release` writes private.tgz), or an https URL of such a tarball, fetched
 * with `Authorization: Bearer <NNGRADE_PRIVATE_TOKEN>` when a token is given. Plain http only to
 * this machine (localhost), never across a network.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unpackArchive, ArchiveError } from '../batch/archives.ts';
import { UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';

export interface PrivateOverlay {
  /** The folder holding the overlay's assignment.json. */
  dir: string;
  cleanup(): void;
}

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

export async function openPrivate(source: string, token?: string): Promise<PrivateOverlay> {
  const temp = () => mkdtempSync(path.join(os.tmpdir(), 'nngrade-private-'));
  if (/^[a-z]+:\/\//i.test(source)) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw new UserError(`the private overlay's URL is not a URL: ${JSON.stringify(source)}`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL.has(url.hostname))) {
      throw new UserError(`the private overlay must come over https (got ${url.protocol}//${url.host})`, { hint: 'host private.tgz where only the grader can fetch it, e.g. a release asset read with a token' });
    }
    let res: Response;
    try {
      res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'follow', signal: AbortSignal.timeout(60_000) });
    } catch (e) {
      throw new UserError(`cannot fetch the private overlay from ${url.origin}${url.pathname}: ${(e as Error).message}`);
    }
    if (!res.ok) throw new UserError(`fetching the private overlay from ${url.origin}${url.pathname} answered ${res.status} ${res.statusText}${res.status === 401 || res.status === 403 || res.status === 404 ? ' (is NNGRADE_PRIVATE_TOKEN set, and may it read this?)' : ''}`);
    const dir = temp();
    const file = path.join(dir, 'private.tgz');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return unpack(file, dir);
  }
  if (!existsSync(source)) throw new UserError(`the private overlay ${displayPath(source)} does not exist`, { hint: 'pass the private/ folder or private.tgz that `nngrade release` wrote' });
  if (statSync(source).isDirectory()) {
    if (!existsSync(path.join(source, 'assignment.json'))) throw new UserError(`${displayPath(source)} is not a private overlay: it has no assignment.json`);
    return { dir: source, cleanup: () => {} };
  }
  return unpack(source, temp());
}

async function unpack(file: string, dir: string): Promise<PrivateOverlay> {
  const into = path.join(dir, 'overlay');
  try {
    const root = await unpackArchive(file, into, 'assignment.json');
    if (!existsSync(path.join(root, 'assignment.json'))) throw new ArchiveError('it holds no assignment.json');
    return { dir: root, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (e instanceof ArchiveError) throw new UserError(`the private overlay ${displayPath(file)} cannot be unpacked: ${e.message}`);
    throw e;
  }
}
