// The hand-in: problem 1 from scratch (no libraries) and problem 2's CNNs, in separate files.
export * from './scratch.ts';
export * from './models.ts';
