/**
 * The OS layers around the sandbox child, on top of Node's permission model
 * and the in-process guards:
 *
 * - `bwrap`: bubblewrap, when installed and user namespaces are allowed: new
 *   network, pid, ipc, uts, cgroup and user namespaces (no network at all, no
 *   other process visible or signalable), a read-only view of only what the
 *   child needs (the system's /usr, node, the grader's dist/ and
 *   node_modules, the bundle) at the same paths, a private /tmp, the work
 *   folder as the only writable place, a new session, --die-with-parent.
 * - `rlimits`: prlimit (util-linux): CPU seconds, no core dumps, file size,
 *   open files, processes.
 * - `unprivileged-user`: when the grader runs as root, the child runs as
 *   nobody (65534), inside or outside bubblewrap.
 *
 * Which layers were active is recorded in every result (`isolation`).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors.ts';

export type IsolationMode = 'strict' | 'auto';
export type IsolationLayer = 'node-permissions' | 'guards' | 'bwrap' | 'rlimits' | 'unprivileged-user';

export const NOBODY = 65534;

export interface Isolation {
  layers: IsolationLayer[];
  /** Why a layer is missing, once per run. */
  notes: string[];
  bwrap?: string;
  prlimit?: string;
}

function which(cmd: string): string | undefined {
  for (const dir of ['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin']) {
    const p = path.join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The system folders a dynamically linked node needs, as bubblewrap arguments (merged-/usr or not). */
function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const d of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    let st;
    try { st = lstatSync(d); } catch { continue; }
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(d), d);
    else if (st.isDirectory()) args.push('--ro-bind', d, d);
  }
  // node itself, wherever it is installed (e.g. ~/.nvm or /opt), with its lib folder.
  const prefix = path.dirname(path.dirname(realpathSync(process.execPath)));
  if (!prefix.startsWith('/usr') && prefix !== '/') args.push('--ro-bind', prefix, prefix);
  return args;
}

export interface BwrapMounts {
  /** Read-only folders or files, bound at the same paths. */
  read: string[];
  /** The one writable folder (the child's cwd and HOME). */
  write: string;
}

export function bwrapArgs(m: BwrapMounts, asUser: number | undefined): string[] {
  const args = [
    '--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
    ...systemBinds(),
    '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
  ];
  for (const r of [...new Set(m.read)]) if (existsSync(r)) args.push('--ro-bind', r, r);
  args.push('--bind', m.write, m.write, '--chdir', m.write);
  if (asUser !== undefined) args.push('--unshare-user', '--uid', String(asUser), '--gid', String(asUser));
  return args;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

let detected: Isolation | undefined;

/**
 * What this machine offers, probed once per process: bubblewrap is tried for real (it can be
 * installed and still refused, where user namespaces are restricted). NNGRADE_NO_BWRAP=1 forces
 * the fallback (the containment suite runs both ways).
 */
export function detectIsolation(): Isolation {
  if (detected) return detected;
  const layers: IsolationLayer[] = ['node-permissions', 'guards'];
  const notes: string[] = [];
  const out: Isolation = { layers, notes };
  const bwrap = which('bwrap');
  if (process.platform !== 'linux') notes.push(`bubblewrap is Linux-only: on ${process.platform} the sandbox has Node's permission model and in-process guards only (no network or signal isolation from the OS)`);
  else if (process.env.NNGRADE_NO_BWRAP === '1') notes.push('bubblewrap turned off (NNGRADE_NO_BWRAP=1)');
  else if (!bwrap) notes.push('bubblewrap is not installed (apt-get install bubblewrap): submissions run without network, pid and mount isolation from the OS');
  else {
    // The cheapest real start: the same namespaces and mounts, running `true` from the bound /usr.
    const probe = spawnSync(bwrap, [...bwrapArgs({ read: [], write: '/tmp' }, isRoot() ? NOBODY : undefined), '--', existsSync('/usr/bin/true') ? '/usr/bin/true' : '/bin/true'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0) {
      out.bwrap = bwrap;
      layers.push('bwrap');
    } else {
      notes.push(`bubblewrap is installed but cannot start here (${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n')[0]}); user namespaces may be restricted on this machine`);
    }
  }
  const prlimit = which('prlimit');
  if (process.platform === 'linux' && prlimit) {
    out.prlimit = prlimit;
    layers.push('rlimits');
  } else if (process.platform === 'linux') notes.push('prlimit (util-linux) is not installed: no OS limits on CPU time, file size and open files');
  if (isRoot()) layers.push('unprivileged-user');
  return (detected = out);
}

/** For tests: probe again (after changing NNGRADE_NO_BWRAP). */
export function resetIsolation(): void {
  detected = undefined;
}

/** Refuse to grade without the OS layer in strict mode, naming what to install. */
export function requireIsolation(mode: IsolationMode): Isolation {
  const iso = detectIsolation();
  if (mode === 'strict' && !iso.layers.includes('bwrap')) {
    throw new UserError('strict isolation needs bubblewrap, which is not available', {
      details: iso.notes,
      hint: 'install it (apt-get install bubblewrap) and allow user namespaces, or pass --isolation auto to grade with Node\'s permission model and in-process guards only',
    });
  }
  return iso;
}

export interface ChildLimits {
  cpuSeconds: number;
  fileBytes: number;
}

/** The command that starts the child: [prlimit …] [bwrap …] node …. */
export function childCommand(iso: Isolation, node: string[], mounts: BwrapMounts, limits: ChildLimits): { file: string; args: string[]; uid?: number; gid?: number } {
  let cmd = node;
  const asNobody = isRoot();
  if (iso.bwrap) cmd = [iso.bwrap, ...bwrapArgs(mounts, asNobody ? NOBODY : undefined), '--', ...cmd];
  if (iso.prlimit) {
    cmd = [iso.prlimit, `--cpu=${Math.ceil(limits.cpuSeconds)}`, '--core=0', `--fsize=${limits.fileBytes}`, '--nofile=512', ...(asNobody && !iso.bwrap ? ['--nproc=4096'] : []), '--', ...cmd];
  }
  // Without bubblewrap, a root grader drops to nobody for the child itself.
  const drop = asNobody && !iso.bwrap ? { uid: NOBODY, gid: NOBODY } : {};
  return { file: cmd[0], args: cmd.slice(1), ...drop };
}

/** A root grader's child runs as nobody: let it read its bundle folder and write its work folder. */
export function prepareDirsForChild(tmpRoot: string, bundleDir: string, workDir: string): void {
  if (!isRoot()) return;
  chmodSync(tmpRoot, 0o711);
  chmodSync(bundleDir, 0o755);
  chownSync(workDir, NOBODY, NOBODY);
}
