// The from-scratch part has the mistake; the CNNs are the correct ones.
export * from './scratch-mistake.ts';
export * from './models.ts';
