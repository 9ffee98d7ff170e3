/**
 * How the CLI ends on an error: a user's mistake (UserError) or a file-system
 * problem is a plain message and exit 2; anything else is a bug in nngrade,
 * the only case with a stack trace (exit 3).
 */
import pc from 'picocolors';
import { isUserError, type UserError } from './errors.ts';
import { displayPath } from './paths.ts';

export function printUserError(e: UserError): void {
  console.error(pc.red(pc.bold('error: ')) + e.message);
  if (e.where) console.error(`  at ${e.where}`);
  for (const d of e.details) console.error(`  - ${d}`);
  if (e.hint) console.error(pc.dim(`  hint: ${e.hint}`));
}

export function exitOnError(e: unknown, userErrorExit = 2): never {
  if (isUserError(e)) {
    printUserError(e);
    process.exit(userErrorExit);
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.syscall === 'string') {
    // Permissions, a full disk, a file where a folder should be: not a bug.
    console.error(pc.red(pc.bold('error: ')) + `cannot ${err.syscall} ${err.path ? displayPath(err.path) : ''}: ${err.code}`);
    process.exit(2);
  }
  console.error(pc.red('nngrade hit an internal error (a bug in nngrade, not in your work); please report it with this trace:'));
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(3);
}
