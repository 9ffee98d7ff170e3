// The from-scratch part has the mistake; the models are the correct ones.
export * from './scratch-mistake.ts';
export * from './models.ts';
