// The logistic-regression part is the correct one; the MNIST models have the mistake.
export * from './scratch.ts';
export * from './models-mistake.ts';
