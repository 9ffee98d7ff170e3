/**
 * The in-memory shape of a labelled image data set, shared by the loaders
 * (idx.ts, cifar10.ts) and the preprocessing steps (preprocess.ts).
 *
 * `x` holds `shape[0]` examples in row-major order: raw bytes straight from a
 * loader ([N, 28, 28] for MNIST-style IDX files, [N, 32, 32, 3] HWC for
 * CIFAR-10), floats after scaling. `y` holds one class index per example.
 */
export type Pixels = Uint8Array | Float32Array;
export type Labels = Uint8Array | Int32Array;

export interface ImageSet {
  x: Pixels;
  /** [N, ...example dims]. */
  shape: number[];
  y: Labels;
  /** Class names by index, when the data set names them. */
  classNames?: string[];
  /** Where the data came from (file paths), for reports. */
  source?: string[];
}

/** A data set after one-hot encoding: `yOneHot` is [N, numClasses] row-major. */
export interface OneHotSet extends ImageSet {
  yOneHot: Float32Array;
  numClasses: number;
}

export type DatasetName = 'fashion-mnist' | 'mnist' | 'cifar10';
export type Split = 'train' | 'test';

export const DATASET_NAMES: readonly DatasetName[] = ['fashion-mnist', 'mnist', 'cifar10'];

export const CLASS_NAMES: Record<DatasetName, string[]> = {
  'fashion-mnist': ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  cifar10: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
};

/** Number of examples in `set`. */
export function count(set: Pick<ImageSet, 'shape'>): number {
  return set.shape[0] ?? 0;
}

/** Elements per example (product of shape[1..]). */
export function exampleSize(set: Pick<ImageSet, 'shape'>): number {
  return set.shape.slice(1).reduce((a, b) => a * b, 1);
}
