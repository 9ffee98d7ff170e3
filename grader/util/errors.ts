/**
 * UserError: a mistake a person can fix (a spec, a path, a flag, a submission).
 * The CLI prints these as plain sentences, never with a stack trace.
 * `where` is "file:line:col", a spec JSON pointer, or both.
 */
export class UserError extends Error {
  readonly where?: string;
  readonly hint?: string;
  readonly details: string[];
  constructor(message: string, opts: { where?: string; hint?: string; details?: string[] } = {}) {
    super(message);
    this.name = 'UserError';
    this.where = opts.where;
    this.hint = opts.hint;
    this.details = opts.details ?? [];
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** Best-effort one-line description of any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
