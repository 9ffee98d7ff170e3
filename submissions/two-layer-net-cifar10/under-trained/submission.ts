// The from-scratch part is the correct one; model a) is under-trained.
export * from './scratch.ts';
export * from './models-mistake.ts';
