// The same models written another correct way: activation layers, a Reshape that flattens, the loss as a function.
export * from './answers.ts';
export * from './models-equivalent.ts';
