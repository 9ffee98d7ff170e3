/**
 * fashion-mnist-hw4: what a submission exports (from submission.ts).
 * Keep the from-scratch functions in a file of their own (e.g. scratch.ts) that imports no library:
 * the from-scratch parts refuse code that imports @tensorflow/* or calls tf.grad.
 */
import type * as tf from '@tensorflow/tfjs';

/** The 2-3-1 network's parameters: W1 (3, 2), b1 (3), W2 (3), b2 a number. */
export interface Weights {
  W1: number[][];
  b1: number[];
  W2: number[];
  b2: number;
}

/**
 * Part 1, forward pass with a sigmoid on both layers: Z1 = X W1ᵀ + b1 (N, 3), H = σ(Z1),
 * Z2 = H W2 + b2 (N), Y = σ(Z2). X is (N, 2).
 */
export declare function forwardPropagation(X: number[][], weights: Weights): { Y: number[]; Z2: number[]; H: number[][]; Z1: number[][] };

/**
 * Part 1, backward pass: L = 1/(2N) Σ (Y − Y_T)² and the gradient of L with respect to each
 * parameter, each with its parameter's shape (b2 may be a number or a one-element array).
 */
export declare function backPropagation(X: number[][], YT: number[], weights: Weights): { gradients: { W1: number[][]; b1: number[]; W2: number[]; b2: number | number[] }; L: number };

/** Part 3: the FFN 784-128-64-10 (ReLU, ReLU, softmax); 109,386 parameters. Dense + Activation layers are fine. */
export declare function buildFFN(): tf.LayersModel;

/** Part 4: LeNet-5 on 28×28×1 inputs (61,706 parameters), and its dropout (0.5) and batch-norm variants. */
export declare function buildLeNet5(): tf.LayersModel;
export declare function buildLeNet5Dropout(): tf.LayersModel;
export declare function buildLeNet5BatchNorm(): tf.LayersModel;

/** A batch as the grader passes it: a flat array and its shape; tf.tensor(b.data, b.shape). */
export interface Batch {
  data: Float32Array | Int32Array;
  shape: number[];
}

/**
 * Trains buildFFN() (Adam) on x (N, 784) in [0, 1] and one-hot y (N, 10), with the validation set,
 * and returns the model and its history (what model.fit returned, or its .history).
 */
export declare function trainFFN(data: { x: Batch; y: Batch; xVal: Batch; yVal: Batch }, opts: { epochs: number; batchSize: number }): Promise<{ model: tf.LayersModel; history: unknown }>;

/*
 * Handed-in weights: save your trained FFN as ffn-model/model.json + ffn-model/weights.bin next to
 * submission.ts (tf's standard layout; nngrade's saveModelFiles(model, dir) writes it without tfjs-node).
 */
