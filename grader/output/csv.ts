/** The CSV gradebook: a row per student, a column per part (report/csv.ts). */
import { gradebookCsv } from '../report/csv.ts';
import type { OutputFormat } from './types.ts';

export const csv: OutputFormat = {
  summary: 'a CSV gradebook: one row per student, one column per part',
  scope: 'class',
  defaultFile: () => 'gradebook.csv',
  render: (results, ctx) => ({ files: [{ path: ctx.file!, data: gradebookCsv(results) }] }),
};
