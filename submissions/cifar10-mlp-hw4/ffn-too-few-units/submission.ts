// The from-scratch part is the correct one; the FFN has the mistake.
export * from './scratch.ts';
export * from './models-mistake.ts';
