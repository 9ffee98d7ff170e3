// Each layer lives in a file of its own; this file only re-exports them.
export { affineForward, affineBackward } from './affine.ts';
export { reluForward, reluBackward } from './relu.ts';
export { batchnormForward, batchnormBackward } from './batchnorm.ts';
export { dropoutForward, dropoutBackward } from './dropout.ts';
export { softmaxLoss } from './softmax.ts';
