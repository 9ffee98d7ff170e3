// The logistic-regression part is the correct one; the MNIST models have the mistake.
export * from '../correct/scratch.ts';
export * from './models.ts';
