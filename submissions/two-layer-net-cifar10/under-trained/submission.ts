// The from-scratch part is the correct one; model a) is under-trained.
export * from '../correct/scratch.ts';
export * from './models.ts';
