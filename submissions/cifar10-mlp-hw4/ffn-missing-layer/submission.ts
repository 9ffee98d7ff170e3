// The from-scratch part is the correct one; the FFN has the mistake.
export * from '../correct/scratch.ts';
export * from './models.ts';
