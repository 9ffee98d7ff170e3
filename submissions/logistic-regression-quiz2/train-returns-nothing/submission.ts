// The scratch part and the models are right; trainConvModel trains but returns nothing.
export * from './scratch.ts';
export * from './models-mistake.ts';
