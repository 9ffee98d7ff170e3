// The logistic-regression part has the mistake; the MNIST models are the correct ones.
export * from './scratch-mistake.ts';
export * from './models.ts';
