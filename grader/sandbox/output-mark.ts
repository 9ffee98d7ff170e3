/** Written by the child to stdout and stderr after each task, so its output is given to the right task. */
export const OUTPUT_MARK = '\u0000nngrade-task-end';
