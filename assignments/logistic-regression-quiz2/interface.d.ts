/**
 * logistic-regression-quiz2: what submission.ts must export.
 *
 * Binary logistic regression on plain arrays (no @tensorflow/* imports).
 * X holds one example per row (n × m), w has length m, y holds n labels in {0, 1}.
 *
 *   q_i = σ(w·x_i) = 1 / (1 + e^(−w·x_i))
 *   L(w) = −(1/n) Σ_i [ y_i log q_i + (1 − y_i) log(1 − q_i) ]
 *   ∇L(w) = (1/n) Σ_i (q_i − y_i) x_i
 */

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
