// The Keras part is the correct one; the written answers have the mistake.
export * from './answers-mistake.ts';
export * from './models.ts';
