/**
 * What a reader may see of a result. Pure: the renderers call this before
 * anything reaches a template, so a template (ours or an instructor's) cannot
 * leak what it is never given.
 *
 * Student audience: `hidden` parts keep only their title, points and status;
 * `after_due_date` parts likewise until now >= dueDate (no due date given:
 * still closed); `after_published` parts until the grades are published.
 * Instructors see everything.
 */
import type { GradeResult, PartResult } from '../judge/result.ts';

export type Audience = 'student' | 'instructor';

export interface RedactOptions {
  audience: Audience;
  /** The moment the report is made (default: now). */
  now?: Date;
  dueDate?: Date;
  published?: boolean;
}

/** A part as a report may show it; `redacted` says why details were withheld. */
export interface ShownPart extends PartResult {
  redacted?: { reason: string };
}

export interface ShownResult extends Omit<GradeResult, 'parts'> {
  parts: ShownPart[];
  audience: Audience;
}

/** Why a part's details are withheld from this reader, or undefined when they may see it all. */
export function withheldReason(part: Pick<PartResult, 'visibility'>, opts: RedactOptions): string | undefined {
  if (opts.audience === 'instructor') return undefined;
  const now = opts.now ?? new Date();
  switch (part.visibility) {
    case 'visible':
      return undefined;
    case 'hidden':
      return 'This part is graded on tests you do not see; only its status and points are shown.';
    case 'after_due_date':
      if (opts.dueDate && now.getTime() >= opts.dueDate.getTime()) return undefined;
      return opts.dueDate
        ? `Details are shown after the due date (${opts.dueDate.toISOString().slice(0, 16).replace('T', ' ')} UTC).`
        : 'Details are shown after the due date.';
    case 'after_published':
      if (opts.published) return undefined;
      return 'Details are shown once grades are published.';
    default:
      // An unknown visibility is treated as hidden: never show what we cannot classify.
      return 'Details of this part are not shown.';
  }
}

/** The part with only id, title, kind, visibility, points and status when withheld. */
export function redactPart(part: PartResult, opts: RedactOptions): ShownPart {
  const reason = withheldReason(part, opts);
  if (reason === undefined) return { ...part };
  return {
    id: part.id,
    title: part.title,
    kind: part.kind,
    visibility: part.visibility,
    score: part.score,
    maxScore: part.maxScore,
    status: part.status,
    messages: [],
    checks: [],
    durationMs: 0,
    redacted: { reason },
  };
}

export function redactResult(result: GradeResult, opts: RedactOptions): ShownResult {
  return { ...result, audience: opts.audience, parts: result.parts.map((p) => redactPart(p, opts)) };
}
