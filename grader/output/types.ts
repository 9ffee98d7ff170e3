/**
 * Output formats: each turns results into what one reader or platform takes in. A format is a pure
 * function of the results and its context to text (for stdout) and/or files; the CLI writes them
 * (atomically, appending where the platform appends). One module per format, one line in registry.ts.
 */
import type { GradeResult } from '../judge/result.ts';
import type { Roster } from '../batch/roster.ts';
import type { Audience } from '../report/redact.ts';

export interface FormatContext {
  /** Where the user asked the output to go (`--format name=<file>`), else the format's default. */
  file?: string;
  audience: Audience;
  /** Terminal: show what the submission printed. */
  verbose?: boolean;
  now: Date;
  dueDate?: Date;
  published?: boolean;
  /** Who each result is (gradebooks): by student id. */
  roster?: Roster;
  /** The environment the platform set (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, …). */
  env: NodeJS.ProcessEnv;
  /** Reports: a templates folder, a report folder (html, pdf, dashboard). */
  templatesDir?: string;
  /** Gradebooks: the assignment's column as the LMS knows it (Canvas: its assignment id). */
  lmsAssignment?: { title?: string; id?: string };
}

export interface OutputFile {
  path: string;
  data: string | Uint8Array;
  /** Add to the end of the file (GitHub's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY) instead of replacing it. */
  append?: boolean;
}

export interface Rendered {
  stdout?: string;
  files?: OutputFile[];
  /** Files the format wrote itself (the reports, written one by one as they render). */
  written?: string[];
  /** Something the user should know (a file not written and why). */
  notes?: string[];
}

export interface OutputFormat {
  summary: string;
  /** `submission`: one result (a check, a platform's run); `class`: a gradebook of many. */
  scope: 'submission' | 'class';
  /** It writes a folder of files (the reports), not one file. */
  folder?: boolean;
  /** Where it writes when not told (undefined: stdout). */
  defaultFile?(env: NodeJS.ProcessEnv): string | undefined;
  render(results: GradeResult[], ctx: FormatContext): Rendered | Promise<Rendered>;
}
