/** The terminal table (the default of `check`): one per result, for people. */
import { renderTerminal } from '../report/terminal.ts';
import type { OutputFormat } from './types.ts';

export const terminal: OutputFormat = {
  summary: 'a table of parts and what went wrong (the default)',
  scope: 'submission',
  render: (results, ctx) => ({ stdout: results.map((r) => renderTerminal(r, { verbose: ctx.verbose })).join('\n') }),
};
