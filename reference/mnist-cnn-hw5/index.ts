/**
 * Reference for mnist-cnn-hw5, the written questions: every answer is
 * computed here from the question's data, none is typed in.
 */

/** The 6×6 input and 3×3 filter of the by-hand convolution question. */
export const X: number[][] = [
  [1, 0, -2, 3, 4, 1],
  [2, 9, 5, 6, 0, -1],
  [0, -3, 1, 3, 4, 4],
  [6, 5, 2, 0, 6, 8],
  [-5, 4, -3, 1, 3, -2],
  [4, 1, 2, 8, 9, 7],
];
export const F: number[][] = [
  [-1, -1, -1],
  [-1, 8, -1],
  [-1, -1, -1],
];

/** 'valid' 2-d cross-correlation (what deep-learning libraries call convolution): no padding, no kernel flip. */
export function crossCorrelate2d(input: number[][], kernel: number[][], stride = 1): number[][] {
  const kh = kernel.length, kw = kernel[0].length;
  const oh = convOutputSize(input.length, kh, stride, 0);
  const ow = convOutputSize(input[0].length, kw, stride, 0);
  return Array.from({ length: oh }, (_, i) =>
    Array.from({ length: ow }, (_, j) => {
      let s = 0;
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) s += input[i * stride + a][j * stride + b] * kernel[a][b];
      return s;
    }),
  );
}

/**
 * Output length of a convolution along one axis:
 * ⌊(n + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1,
 * i.e. the usual ⌊(n + 2p − k)/s⌋ + 1 with the kernel's dilated extent d·(k−1)+1 in place of k.
 */
export function convOutputSize(n: number, kernel: number, stride: number, padding: number, dilation = 1): number {
  const extent = dilation * (kernel - 1) + 1;
  return Math.floor((n + 2 * padding - extent) / stride) + 1;
}

export interface ConvLayer {
  kernel: number;
  stride: number;
}

/**
 * Receptive field, measured on the feature map that feeds layers[0], of one
 * unit of the last layer's output: start from r = 1 and walk back through the
 * layers with r ← stride·r + (kernel − stride).
 */
export function receptiveField(layers: ConvLayer[]): number {
  let r = 1;
  for (let l = layers.length - 1; l >= 0; l--) r = layers[l].stride * r + (layers[l].kernel - layers[l].stride);
  return r;
}

const square = (n: number): [number, number] => [n, n];
const conv3s1: ConvLayer = { kernel: 3, stride: 1 };

export const answers = {
  /** The 4×4 result of sliding F over X with stride 1 and no padding. */
  convOutput: crossCorrelate2d(X, F, 1),
  /** 16×16 input, 2×2 filter, stride 2, padding 1, dilation 4. */
  outputSize: square(convOutputSize(16, 2, 2, 1, 4)),
  /** 32×32 input through two 3×3 convolutions with stride 2 and padding 1. */
  outputSize2: square(convOutputSize(convOutputSize(32, 3, 2, 1), 3, 2, 1)),
  /**
   * input → conv1 → conv2 → conv3, each 3×3 with stride 1: the side of the
   * region of conv1's output that one unit of conv3's output sees, i.e. the
   * receptive field through conv2 and conv3.
   */
  receptiveField: receptiveField([conv3s1, conv3s1]),
};
