// The hand-in: logistic regression from scratch (no libraries) and the MNIST models, in separate files.
export * from './scratch.ts';
export * from './models.ts';
