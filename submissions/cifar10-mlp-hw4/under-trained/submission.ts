// The from-scratch part is the correct one; the FFN is under-trained.
export * from './scratch.ts';
export * from './models-mistake.ts';
