// The from-scratch part is the correct one; the FFN is under-trained.
export * from '../correct/scratch.ts';
export * from './models.ts';
