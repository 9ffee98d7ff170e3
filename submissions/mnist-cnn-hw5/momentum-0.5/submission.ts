// The written answers are the correct ones; the Keras part has the mistake.
export * from './answers.ts';
export * from './models-mistake.ts';
