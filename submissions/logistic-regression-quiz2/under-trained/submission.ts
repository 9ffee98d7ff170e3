// The scratch part and the models are right; the training steps are far too small.
export * from './scratch.ts';
export * from './models-mistake.ts';
