// Mistake: the receptive field is counted on the input image (7) instead of on
// conv1's output feature map as the question asks (5). The other answers are the correct ones.
import { answers as correct } from './answers.ts';

// conv3 unit <- 3 units of conv2 <- 5 units of conv1 <- 7 pixels of the input
export const answers = { ...correct, receptiveField: 7 };
