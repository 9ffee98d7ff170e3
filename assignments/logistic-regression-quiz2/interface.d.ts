/**
 * logistic-regression-quiz2: what submission.ts must export.
 *
 * Binary logistic regression on plain arrays (no @tensorflow/* imports).
 * X holds one example per row (n × m), w has length m, y holds n labels in {0, 1}.
 *
 *   q_i = σ(w·x_i) = 1 / (1 + e^(−w·x_i))
 *   L(w) = −(1/n) Σ_i [ y_i log q_i + (1 − y_i) log(1 − q_i) ]
 *   ∇L(w) = (1/n) Σ_i (q_i − y_i) x_i
 *
 * Questions (a)–(c) (at the end) build MNIST models with TensorFlow.js; keep
 * them in a separate file (e.g. models.ts, re-exported by submission.ts): the
 * logistic-regression parts check that the code they run imports no @tensorflow/*.
 */
import type * as tf from '@tensorflow/tfjs';

/**
 * The mean binary cross-entropy loss. It must stay finite and accurate when
 * |w·x| is large: L([1000], [[1000]], [0]) is 1e6 and L([1000], [[1000]], [1])
 * is 0 (use −log σ(z) = log(1 + e^(−z)) and evaluate log(1 + e^z) without
 * taking e^z of a large positive z).
 */
export function L(w: number[], X: number[][], y: number[]): number;

/** The gradient of L with respect to w (length m). */
export function dL(w: number[], X: number[][], y: number[]): number[];

export interface DescentResult {
  /** The final w (the same as the last entry of ws). */
  w: number[];
  /** The iterates after each of the numSteps steps (numSteps arrays of length m). */
  ws: number[][];
}

/**
 * numSteps steps of w ← w − t·g with g = dL(w, X, y) and a backtracking line
 * search: every step starts from t = 1 and multiplies t by beta while
 *   L(w) − L(w − t·g) < alpha · t · ‖g‖²
 * (the Armijo sufficient-decrease condition), then takes the step with that t.
 */
export function gradientDescent(w0: number[], X: number[][], y: number[], numSteps: number, alpha: number, beta: number): DescentResult;

// ---------------------------------------------------------------------------
// Questions (a)–(c): MNIST models on 28×28×1 images, with TensorFlow.js
// (tf.sequential or the functional tf.model, as you like).

/** (a) Multinomial logistic regression: input 28×28×1 → Flatten → Dense 10 softmax (7,850 parameters). */
export function buildLogisticModel(): tf.LayersModel;

/** (b) Input 28×28×1 → Flatten → Dense 128 ReLU → Dense 64 ReLU → Dense 10 softmax (109,386 parameters). */
export function buildDenseModel(): tf.LayersModel;

/**
 * (c) The ConvModel of the quiz's table: Conv2D 32@3×3 ReLU → MaxPooling2D 2×2
 * stride 2 → Conv2D 64@3×3 ReLU → MaxPooling2D 3×3 (11×11 → 3×3) → Flatten (576)
 * → Dense 128 ReLU → Dense 10 softmax (93,962 parameters).
 */
export function buildConvModel(): tf.LayersModel;
