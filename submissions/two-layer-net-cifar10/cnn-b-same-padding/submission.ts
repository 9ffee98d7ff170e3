// The from-scratch part is the correct one; the CNNs have the mistake.
export * from '../correct/scratch.ts';
export * from './models.ts';
