// The hand-in: the from-scratch network (no libraries) and the tfjs models, in separate files.
export * from './scratch.ts';
export * from './models.ts';
