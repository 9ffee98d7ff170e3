/**
 * mnist-cnn-hw5: what submission.ts must export — the answers to the written
 * questions, as numbers (worked by hand or computed, either is fine).
 *
 * Conventions: "convolution" means what a CNN layer computes, i.e.
 * cross-correlation (the filter is not flipped). Output sizes follow
 *   out = ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1.
 */
export interface Answers {
  /**
   * The 4×4 output of the 3×3 filter
   *   F = [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]]
   * slid over the 6×6 input
   *   X = [[1,0,-2,3,4,1],[2,9,5,6,0,-1],[0,-3,1,3,4,4],[6,5,2,0,6,8],[-5,4,-3,1,3,-2],[4,1,2,8,9,7]]
   * with stride 1 and no padding: convOutput[i][j] = Σ_a Σ_b X[i+a][j+b]·F[a][b].
   */
  convOutput: number[][];
  /** [height, width] after one convolution of a 16×16 input: 2×2 filter, stride 2, padding 1, dilation 4. */
  outputSize: [number, number];
  /** [height, width] after a 32×32 input goes through two 3×3 convolutions, each stride 2, padding 1. */
  outputSize2: [number, number];
  /**
   * conv1 → conv2 → conv3, each 3×3 with stride 1: the side length, in units of
   * conv1's output feature map, of the region one unit of conv3's output depends on.
   */
  receptiveField: number;
}

export const answers: Answers;
