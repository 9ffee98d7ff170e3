/**
 * Text from a submission (what it printed, its error messages, its strings)
 * is shown in terminals, reports and platforms' pages: escape sequences and
 * control characters are removed so it cannot move the cursor, recolour,
 * retitle or hide text in an instructor's terminal.
 */

// CSI / OSC / DCS / other ESC sequences, then C0 and C1 controls except tab and newline.
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function cleanText(s: string): string {
  return s.replace(ESCAPES, '').replace(/\r\n/g, '\n').replace(CONTROLS, '');
}
