// The from-scratch part is the correct one; the CNNs have the mistake.
export * from './scratch.ts';
export * from './models-mistake.ts';
