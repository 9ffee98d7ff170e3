/** The GradeResult as it is (versioned; see the README): to stdout, or to a file. */
import { renderJson } from '../report/json.ts';
import type { OutputFormat } from './types.ts';

export const json: OutputFormat = {
  summary: 'the result as JSON (the format in the README)',
  scope: 'submission',
  render: (results, ctx) => {
    const text = renderJson(results.length === 1 ? results[0] : results);
    return ctx.file ? { files: [{ path: ctx.file, data: text }] } : { stdout: text };
  },
};
