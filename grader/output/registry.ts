/** Every output format, by the name `--format` takes: one module each, one line here. */
import type { OutputFormat } from './types.ts';
import { terminal } from './terminal.ts';
import { json } from './json.ts';
import { html, pdf, dashboard } from './reports.ts';
import { csv } from './csv.ts';
import { classroom } from './classroom.ts';
import { gradescope } from './gradescope.ts';
import { prairielearn } from './prairielearn.ts';
import { canvas } from './canvas.ts';
import { moodle } from './moodle.ts';

export const outputFormats: Record<string, OutputFormat> = {
  terminal,
  json,
  html,
  pdf,
  dashboard,
  csv,
  classroom,
  gradescope,
  prairielearn,
  canvas,
  moodle,
};
