// The hand-in: part 1 from scratch (no libraries) and part 2's FFN, in separate files.
export * from './scratch.ts';
export * from './models.ts';
