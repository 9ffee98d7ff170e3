/**
 * Kernels the tfjs wasm backend (4.22) lacks, or has only as slow reference
 * loops, for TRAINING the models course assignments use (LeNet-5, small CNNs
 * with 3x3/5x5 convolutions, stride 1 or 2, max/avg pooling, batch norm,
 * dropout, dense layers, Adam/SGD/momentum).
 *
 * Found by training such models on wasm and comparing every gradient with the
 * cpu backend (test/tf-wasm-kernels.test.ts):
 *
 * | kernel                              | on wasm 4.22          | here                                               |
 * | ----------------------------------- | --------------------- | -------------------------------------------------- |
 * | Conv2DBackpropFilter                | missing (CNNs cannot train) | Conv2D over transposed input/dy, dilation = stride; GEMM for 1x1 / "fully connected" convs |
 * | Conv2DBackpropInput                 | naive C++ loop, slow  | overridden: one Conv2D with a phase-split flipped filter (sub-pixel, no zero insertion); GEMM for 1x1 / FC convs |
 * | DepthwiseConv2dNativeBackpropFilter | missing               | JS loops (correctness first; depthwise/separable layers) |
 * | DepthwiseConv2dNativeBackpropInput  | missing               | JS loops                                           |
 * | UnsortedSegmentSum                  | missing (gather/embedding gradient) | JS loop                            |
 * | BatchMatMul, _FusedMatMul           | ~10x slower with transposeA/B (every Dense backward pass) | overridden: explicit Transpose, then the untransposed kernel |
 * | _FusedMatMul, batched (rank 3, batch > 1) with bias | WRONG rows | overridden: BatchMatMul + Add + activation kernels |
 * | GatherV2                            | element-by-element copy, ~2.5 ms per 128x784 batch that model.fit slices | overridden: TypedArray.set of whole slices |
 * | Slice                               | copies the WHOLE input out of the heap first (readSync): ~12 ms per 1000-row batch of a 10000x784 tensor | overridden: copy from a heap view, in runs |
 * | Add, Sub, Multiply, RealDiv         | ~8x slower when a [C] vector is broadcast along the last axis (bias add) | overridden for that case: rows widened, vector tiled, same op |
 * | Sum                                 | ~0.8 ms for a bias gradient (sum over all axes but the last) | overridden for that case: ones x matrix on the wasm matmul |
 * | MaxPoolGrad                         | WRONG for windows whose inputs are all negative (gradient goes to the window's first element) | overridden: JS loops on heap views (unrolled for 2x2 windows), first max as on cpu/TF |
 *
 * AvgPoolGrad, FusedBatchNorm, Softmax, Conv2D, MaxPool, ... exist on wasm and
 * match the cpu backend; they are left alone.
 *
 * The fast kernels are compositions of the wasm backend's own registered
 * kernels (XNNPACK Conv2D, BatchMatMul, Transpose, ...), called through
 * `tf.getKernel(name, 'wasm').kernelFunc` on TensorInfos, with every
 * intermediate disposed before returning. Only channels-last (NHWC) is
 * accelerated; anything else falls back to the original wasm kernel (which
 * supports it) or throws a clear error.
 */
import type * as TF from '@tensorflow/tfjs';

type Tf = typeof TF;
type TensorInfo = TF.TensorInfo;
type DataId = object;

/** The parts of BackendWasm these kernels use. */
interface WasmBackendLike {
  disposeData(dataId: DataId, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: TF.DataType, memoryOffset?: number, values?: TF.TypedArray): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): TF.TypedArray;
}

type Attrs = Record<string, unknown>;
type KernelArgs = { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Attrs };
type KernelFn = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** What `registerWasmTrainingKernels` did. */
export interface WasmKernelRegistration {
  /** Kernels that were missing on wasm and are now registered. */
  added: string[];
  /** Kernels that existed on wasm and were replaced by faster ones. */
  replaced: string[];
}

const BACKEND = 'wasm';

/** Kernel names this module provides (added or replaced). */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
  'MaxPoolGrad',
  'BatchMatMul',
  '_FusedMatMul',
  'GatherV2',
  'Slice',
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'Sum',
] as const;

const installed = new WeakMap<object, WasmKernelRegistration>();

/**
 * Registers the training kernels on the wasm backend of this `tf` instance.
 * Idempotent (a second call returns the first call's record). Call it after
 * `@tensorflow/tfjs-backend-wasm` has been imported; it does not need the
 * backend to be initialised yet.
 */
export function registerWasmTrainingKernels(tf: Tf): WasmKernelRegistration {
  const prior = installed.get(tf.registerKernel);
  if (prior) return prior;
  if (!tf.getKernel('Conv2D', BACKEND)) {
    throw new Error('registerWasmTrainingKernels: the wasm backend is not loaded (import @tensorflow/tfjs-backend-wasm first)');
  }
  const k = kernelsFor(tf);
  const record: WasmKernelRegistration = { added: [], replaced: [] };
  const impls: Record<(typeof WASM_TRAINING_KERNELS)[number], KernelFn> = {
    Conv2DBackpropFilter: k.conv2DBackpropFilter,
    Conv2DBackpropInput: k.conv2DBackpropInput,
    DepthwiseConv2dNativeBackpropFilter: k.depthwiseBackpropFilter,
    DepthwiseConv2dNativeBackpropInput: k.depthwiseBackpropInput,
    UnsortedSegmentSum: k.unsortedSegmentSum,
    MaxPoolGrad: k.maxPoolGrad,
    BatchMatMul: k.matMulNoTranspose('BatchMatMul'),
    _FusedMatMul: k.matMulNoTranspose('_FusedMatMul'),
    GatherV2: k.gatherV2,
    Slice: k.slice,
    Add: k.lastAxisBroadcast('Add'),
    Sub: k.lastAxisBroadcast('Sub'),
    Multiply: k.lastAxisBroadcast('Multiply'),
    RealDiv: k.lastAxisBroadcast('RealDiv'),
    Sum: k.sumLeadingAxes,
  };
  for (const name of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(name, BACKEND);
    if (existing) {
      k.originals.set(name, existing.kernelFunc as unknown as KernelFn);
      tf.unregisterKernel(name, BACKEND);
      record.replaced.push(name);
    } else {
      record.added.push(name);
    }
    // Keep the original's setupFunc: it binds the C++ function the original kernelFunc calls.
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: impls[name] as unknown as TF.KernelFunc, setupFunc: existing?.setupFunc, disposeFunc: existing?.disposeFunc });
  }
  installed.set(tf.registerKernel, record);
  return record;
}

function kernelsFor(tf: Tf) {
  const bu = tf.backend_util;
  const originals = new Map<string, KernelFn>();

  function run(name: string, backend: WasmBackendLike, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo {
    const cfg = tf.getKernel(name, BACKEND);
    if (!cfg) throw new Error(`wasm kernel ${name} is not registered`);
    return cfg.kernelFunc({ inputs, backend: backend as unknown as TF.KernelBackend, attrs } as never) as TensorInfo;
  }

  /** Runs `body` with a list to push intermediates on; disposes them all afterwards (also on error). */
  function withScratch<T>(backend: WasmBackendLike, body: (keep: (t: TensorInfo) => TensorInfo) => T): T {
    const tmp: TensorInfo[] = [];
    try {
      return body((t) => (tmp.push(t), t));
    } finally {
      for (const t of tmp) backend.disposeData(t.dataId);
    }
  }

  function channelsLast(dataFormat: unknown): boolean {
    return bu.convertConv2DDataFormat((dataFormat ?? 'NHWC') as 'NHWC' | 'NCHW') === 'channelsLast';
  }

  function requireFloat(kernel: string, ...ts: TensorInfo[]): void {
    for (const t of ts) {
      if (t.dtype !== 'float32') throw new Error(`${kernel} on wasm: expected float32 tensors, got ${t.dtype}`);
    }
  }

  /**
   * A convolution whose every output position sees the whole input ("fully
   * connected", e.g. LeNet-5's C5: 5x5 input, 5x5 valid filter) or a 1x1
   * convolution with stride 1 and no padding: both are one matrix product.
   * Returns the matrix shape [rows, k] of x, or null.
   */
  function gemmShape(info: TF.backend_util.Conv2DInfo): [number, number] | null {
    const p = info.padInfo;
    const noPad = p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0;
    if (!noPad || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
    if (info.outHeight === 1 && info.outWidth === 1 && info.filterHeight === info.inHeight && info.filterWidth === info.inWidth) {
      return [info.batchSize, info.inHeight * info.inWidth * info.inChannels];
    }
    if (info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1) {
      return [info.batchSize * info.inHeight * info.inWidth, info.inChannels];
    }
    return null;
  }

  /**
   * dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*sh+kh-pt, ow*sw+kw-pl, ci] * dy[n,oh,ow,co]
   * = Conv2D(x' = x^T[ci,h,w,n], filter = dy^T[oh,ow,n,co], dilation = stride) -> [ci,kh,kw,co].
   */
  const conv2DBackpropFilter: KernelFn = ({ inputs, backend: b, attrs = {} }) => {
    const backend = b as WasmBackendLike;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as {
      strides: number | [number, number]; pad: TF.backend_util.ExplicitPadding | 'same' | 'valid' | number;
      dataFormat?: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
    };
    requireFloat('Conv2DBackpropFilter', x, dy);
    if (!channelsLast(dataFormat)) {
      throw new Error("Conv2DBackpropFilter on wasm supports only dataFormat 'NHWC' (channels last)");
    }
    const info = bu.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad as never, dimRoundingMode);
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW, outChannels: Co } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = info;
    const pt = info.padInfo.top;
    const pl = info.padInfo.left;

    return withScratch(backend, (keep) => {
      const gemm = gemmShape(info);
      if (gemm) {
        const xm = keep(run('Reshape', backend, { x }, { shape: [gemm[0], gemm[1]] }));
        const xt = keep(run('Transpose', backend, { x: xm }, { perm: [1, 0] }));
        const xt3 = keep(run('Reshape', backend, { x: xt }, { shape: [1, gemm[1], gemm[0]] }));
        const dym = keep(run('Reshape', backend, { x: dy }, { shape: [1, gemm[0], Co] }));
        const dw = keep(originals.get('BatchMatMul')!({ inputs: { a: xt3, b: dym }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo);
        return run('Reshape', backend, { x: dw }, { shape: [KH, KW, Ci, Co] });
      }
      // Rows/cols of x past the last window are never read: crop them (a negative pad).
      let pb = KH + (OH - 1) * sh - H - pt;
      let pr = KW + (OW - 1) * sw - W - pl;
      let xin = x;
      if (pb < 0 || pr < 0) {
        xin = keep(run('Slice', backend, { x }, { begin: [0, 0, 0, 0], size: [N, H + Math.min(pb, 0), W + Math.min(pr, 0), Ci] }));
        pb = Math.max(pb, 0);
        pr = Math.max(pr, 0);
      }
      const xt = keep(run('Transpose', backend, { x: xin }, { perm: [3, 1, 2, 0] })); // [Ci, H, W, N]
      const dyt = keep(run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] })); // [OH, OW, N, Co]
      const r = keep(run('Conv2D', backend, { x: xt, filter: dyt }, {
        strides: [1, 1], pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]], dataFormat: 'NHWC', dilations: [sh, sw], dimRoundingMode: undefined,
      })); // [Ci, KH, KW, Co]
      return run('Transpose', backend, { x: r }, { perm: [1, 2, 0, 3] });
    });
  };

  /**
   * dx[n,ih,iw,ci] = sum dy[n,oh,ow,co] * W[kh,kw,ci,co] over ih = oh*s + kh - pt.
   * Split dx rows by phase r = (ih + pt) mod s: writing ih + pt = q*s + r, kh = j*s + r,
   * the phase-r rows are a stride-1 correlation of dy with the flipped sub-filter
   * W[j*s + r]. All s_h*s_w phases become output channels of ONE Conv2D (sub-filters
   * zero-padded to ceil(K/s) taps), interleaved back by reshape/transpose ("sub-pixel"
   * convolution; no zeros inserted into dy, so no wasted multiplications by stride^2).
   */
  const conv2DBackpropInput: KernelFn = (args) => {
    const { inputs, backend: b, attrs = {} } = args;
    const backend = b as WasmBackendLike;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as {
      strides: number | [number, number]; pad: TF.backend_util.ExplicitPadding | 'same' | 'valid' | number;
      dataFormat?: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape: [number, number, number, number];
    };
    const original = originals.get('Conv2DBackpropInput');
    if (!channelsLast(dataFormat) || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
      if (original) return original(args);
      throw new Error("Conv2DBackpropInput on wasm supports only float32 and dataFormat 'NHWC'");
    }
    const info = bu.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad as never, dimRoundingMode);
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW, outChannels: Co } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = info;
    const pt = info.padInfo.top;
    const pl = info.padInfo.left;

    const gemm = gemmShape(info);
    if (gemm) {
      return withScratch(backend, (keep) => {
        const dym = keep(run('Reshape', backend, { x: dy }, { shape: [1, gemm[0], Co] }));
        const wm = keep(run('Reshape', backend, { x: filter }, { shape: [gemm[1], Co] }));
        const wt = keep(run('Transpose', backend, { x: wm }, { perm: [1, 0] }));
        const wt3 = keep(run('Reshape', backend, { x: wt }, { shape: [1, Co, gemm[1]] }));
        const dx = keep(originals.get('BatchMatMul')!({ inputs: { a: dym, b: wt3 }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo);
        return run('Reshape', backend, { x: dx }, { shape: [N, H, W, Ci] });
      });
    }

    // Per axis: taps per phase J, phase rows q in [q0, Q), dy rows needed [q0-(J-1), Q-1].
    const axis = (s: number, K: number, p: number, inSize: number, outSize: number) => {
      const J = Math.ceil(K / s);
      const Q = Math.ceil((inSize + p) / s);
      const q0 = Math.floor(p / s);
      const lo = q0 - (J - 1);
      const hi = Q - 1;
      return { J, Q, q0, padBefore: Math.max(0, -lo), cropBefore: Math.max(0, lo), padAfter: Math.max(0, hi - (outSize - 1)), keepTo: Math.min(outSize, hi + 1) };
    };
    const ah = axis(sh, KH, pt, H, OH);
    const aw = axis(sw, KW, pl, W, OW);
    if (ah.keepTo - ah.cropBefore <= 0 || aw.keepTo - aw.cropBefore <= 0) {
      if (original) return original(args);
    }

    // Phase-split, flipped filter F[th, tw, co, (rh*sw + rw)*Ci + ci] = W[(Jh-1-th)*sh + rh, (Jw-1-tw)*sw + rw, ci, co].
    const Cout = sh * sw * Ci;
    const F = new Float32Array(ah.J * aw.J * Co * Cout);
    const w = backend.typedArrayFromHeap(filter) as Float32Array;
    for (let th = 0; th < ah.J; th++) {
      for (let rh = 0; rh < sh; rh++) {
        const kh = (ah.J - 1 - th) * sh + rh;
        if (kh >= KH) continue;
        for (let tw = 0; tw < aw.J; tw++) {
          for (let rw = 0; rw < sw; rw++) {
            const kw = (aw.J - 1 - tw) * sw + rw;
            if (kw >= KW) continue;
            const phase = (rh * sw + rw) * Ci;
            for (let ci = 0; ci < Ci; ci++) {
              const src = ((kh * KW + kw) * Ci + ci) * Co;
              let dst = ((th * aw.J + tw) * Co) * Cout + phase + ci;
              for (let co = 0; co < Co; co++, dst += Cout) F[dst] = w[src + co];
            }
          }
        }
      }
    }

    return withScratch(backend, (keep) => {
      const f = keep(backend.makeOutput([ah.J, aw.J, Co, Cout], 'float32', undefined, F));
      let d = dy;
      if (ah.cropBefore > 0 || aw.cropBefore > 0 || ah.keepTo < OH || aw.keepTo < OW) {
        d = keep(run('Slice', backend, { x: dy }, {
          begin: [0, ah.cropBefore, aw.cropBefore, 0], size: [N, ah.keepTo - ah.cropBefore, aw.keepTo - aw.cropBefore, Co],
        }));
      }
      const y = keep(run('Conv2D', backend, { x: d, filter: f }, {
        strides: [1, 1], pad: [[0, 0], [ah.padBefore, ah.padAfter], [aw.padBefore, aw.padAfter], [0, 0]],
        dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined,
      })); // [N, Q-q0, P-p0, sh*sw*Ci]
      const nq = ah.Q - ah.q0;
      const np = aw.Q - aw.q0;
      let full = y; // [N, nq*sh, np*sw, Ci] starting at padded row q0*sh, col q0w*sw
      if (sh > 1 || sw > 1) {
        const y4 = keep(run('Reshape', backend, { x: y }, { shape: [N * nq, np, sh, sw * Ci] }));
        const yt = keep(run('Transpose', backend, { x: y4 }, { perm: [0, 2, 1, 3] }));
        full = keep(run('Reshape', backend, { x: yt }, { shape: [N, nq * sh, np * sw, Ci] }));
      }
      const top = pt - ah.q0 * sh;
      const left = pl - aw.q0 * sw;
      if (top === 0 && left === 0 && nq * sh === H && np * sw === W) {
        return run('Reshape', backend, { x: full }, { shape: [N, H, W, Ci] });
      }
      return run('Slice', backend, { x: full }, { begin: [0, top, left, 0], size: [N, H, W, Ci] });
    });
  };

  function depthwiseInfo(kernel: string, xShape: number[], filterShape: number[], attrs: Attrs) {
    const { strides, dilations, pad, dimRoundingMode } = attrs as {
      strides: number | [number, number]; dilations?: number | [number, number]; pad: never; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const d = dilations ?? 1;
    if ((Array.isArray(d) ? d : [d, d]).some((v) => v !== 1)) throw new Error(`${kernel} on wasm: dilations > 1 are not supported`);
    return bu.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], strides, 1, pad, dimRoundingMode, true);
  }

  /** Port of the cpu backend's loops (channels last). */
  const depthwiseBackpropFilter: KernelFn = ({ inputs, backend: b, attrs = {} }) => {
    const backend = b as WasmBackendLike;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    requireFloat('DepthwiseConv2dNativeBackpropFilter', x, dy);
    const filterShape = attrs.filterShape as number[];
    const info = depthwiseInfo('DepthwiseConv2dNativeBackpropFilter', x.shape, filterShape, attrs);
    const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW, outChannels: Co, batchSize: N } = info;
    const pt = info.padInfo.top;
    const pl = info.padInfo.left;
    const chMul = Co / Ci;
    const out = backend.makeOutput(filterShape, 'float32');
    const xv = backend.typedArrayFromHeap(x) as Float32Array;
    const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
    const dw = backend.typedArrayFromHeap(out) as Float32Array;
    for (let kh = 0; kh < KH; kh++) {
      const yr0 = Math.max(0, Math.ceil((pt - kh) / sh));
      const yr1 = Math.min(OH, (H + pt - kh) / sh);
      for (let kw = 0; kw < KW; kw++) {
        const yc0 = Math.max(0, Math.ceil((pl - kw) / sw));
        const yc1 = Math.min(OW, (W + pl - kw) / sw);
        for (let d2 = 0; d2 < Co; d2++) {
          const d1 = Math.trunc(d2 / chMul);
          let acc = 0;
          for (let n = 0; n < N; n++) {
            for (let yr = yr0; yr < yr1; yr++) {
              const xr = kh + yr * sh - pt;
              for (let yc = yc0; yc < yc1; yc++) {
                const xc = kw + yc * sw - pl;
                acc += xv[((n * H + xr) * W + xc) * Ci + d1] * dyv[((n * OH + yr) * OW + yc) * Co + d2];
              }
            }
          }
          dw[((kh * KW + kw) * Ci + d1) * chMul + (d2 % chMul)] = acc;
        }
      }
    }
    return out;
  };

  const depthwiseBackpropInput: KernelFn = ({ inputs, backend: b, attrs = {} }) => {
    const backend = b as WasmBackendLike;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    requireFloat('DepthwiseConv2dNativeBackpropInput', dy, filter);
    const inputShape = attrs.inputShape as number[];
    const info = depthwiseInfo('DepthwiseConv2dNativeBackpropInput', inputShape, filter.shape, attrs);
    const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW, outChannels: Co, batchSize: N } = info;
    const topPad = KH - 1 - info.padInfo.top;
    const leftPad = KW - 1 - info.padInfo.left;
    const chMul = Co / Ci;
    const out = backend.makeOutput(inputShape, 'float32');
    const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
    const fv = backend.typedArrayFromHeap(filter) as Float32Array;
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    for (let n = 0; n < N; n++) {
      for (let d1 = 0; d1 < Ci; d1++) {
        for (let xr = 0; xr < H; xr++) {
          const rc = xr - topPad;
          const yr0 = Math.max(0, Math.ceil(rc / sh));
          const yr1 = Math.min(OH, (KH + rc) / sh);
          for (let xc = 0; xc < W; xc++) {
            const cc = xc - leftPad;
            const yc0 = Math.max(0, Math.ceil(cc / sw));
            const yc1 = Math.min(OW, (KW + cc) / sw);
            let acc = 0;
            for (let yr = yr0; yr < yr1; yr++) {
              const wr = yr * sh - rc;
              for (let yc = yc0; yc < yc1; yc++) {
                const wc = yc * sw - cc;
                const dyo = ((n * OH + yr) * OW + yc) * Co + d1 * chMul;
                const fo = (((KH - 1 - wr) * KW + (KW - 1 - wc)) * Ci + d1) * chMul;
                for (let dm = 0; dm < chMul; dm++) acc += dyv[dyo + dm] * fv[fo + dm];
              }
            }
            dx[((n * H + xr) * W + xc) * Ci + d1] = acc;
          }
        }
      }
    }
    return out;
  };

  /**
   * dx of MaxPool: each window's dy goes to the window's first largest input
   * (raster order, padding excluded), exactly as the cpu backend and TF do. The
   * wasm 4.22 kernel sends the gradient of a window whose values are all negative
   * to the window's first element instead (its running max starts at 0), which
   * breaks max pooling that is not preceded by a ReLU.
   * Loops run over channels innermost, on views of the wasm heap.
   */
  const maxPoolGrad: KernelFn = ({ inputs, backend: b, attrs = {} }) => {
    const backend = b as WasmBackendLike;
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    requireFloat('MaxPoolGrad', dy, input);
    const { filterSize, strides, pad, dimRoundingMode } = attrs as {
      filterSize: number | [number, number]; strides: number | [number, number]; pad: never; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const info = bu.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
    const { dilationHeight: dh, dilationWidth: dw, effectiveFilterHeight: EH, effectiveFilterWidth: EW } = info;
    const pt = info.padInfo.top;
    const pl = info.padInfo.left;
    const out = backend.makeOutput(input.shape, 'float32');
    const xv = backend.typedArrayFromHeap(input) as Float32Array;
    const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    dx.fill(0);
    if (sh === EH && sw === EW && dh === 1 && dw === 1 && pt === 0 && pl === 0 && OH * sh <= H && OW * sw <= W) {
      // Non-overlapping windows inside the input (2x2 stride 2 'valid', ...): each input
      // element belongs to at most one window, so dx is written once, no accumulation.
      if (sh === 2 && sw === 2) {
        const WC = W * C;
        let o = 0;
        for (let n = 0; n < N; n++) {
          for (let oh = 0; oh < OH; oh++) {
            let p = (n * H + 2 * oh) * WC;
            for (let ow = 0; ow < OW; ow++, p += 2 * C) {
              for (let ch = 0; ch < C; ch++, o++) {
                const q = p + ch;
                // First strict maximum in raster order (a, b / c, d), as on cpu; NaNs never win.
                let at = -1;
                let best = -Infinity;
                const a = xv[q]!;
                if (a > best) { best = a; at = q; }
                const b = xv[q + C]!;
                if (b > best) { best = b; at = q + C; }
                const c = xv[q + WC]!;
                if (c > best) { best = c; at = q + WC; }
                const d = xv[q + WC + C]!;
                if (d > best) at = q + WC + C;
                if (at >= 0) dx[at] = dyv[o]!;
              }
            }
          }
        }
        return out;
      }
      for (let n = 0; n < N; n++) {
        for (let oh = 0; oh < OH; oh++) {
          for (let ow = 0; ow < OW; ow++) {
            const o = ((n * OH + oh) * OW + ow) * C;
            const first = ((n * H + oh * sh) * W + ow * sw) * C;
            for (let ch = 0; ch < C; ch++) {
              let bestV = -Infinity;
              let bestAt = -1;
              for (let r = 0; r < sh; r++) {
                let p = first + r * W * C + ch;
                for (let c = 0; c < sw; c++, p += C) {
                  const v = xv[p]!;
                  if (v > bestV) {
                    bestV = v;
                    bestAt = p;
                  }
                }
              }
              if (bestAt >= 0) dx[bestAt] = dyv[o + ch]!;
            }
          }
        }
      }
      return out;
    }
    const best = new Float32Array(C);
    const at = new Int32Array(C);
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        const r0 = oh * sh - pt;
        for (let ow = 0; ow < OW; ow++) {
          const c0 = ow * sw - pl;
          best.fill(-Infinity);
          at.fill(-1);
          for (let r = Math.max(r0, 0) + ((dh - ((Math.max(r0, 0) - r0) % dh)) % dh); r < Math.min(r0 + EH, H); r += dh) {
            for (let c = Math.max(c0, 0) + ((dw - ((Math.max(c0, 0) - c0) % dw)) % dw); c < Math.min(c0 + EW, W); c += dw) {
              const base = ((n * H + r) * W + c) * C;
              for (let ch = 0; ch < C; ch++) {
                const v = xv[base + ch]!;
                if (v > best[ch]!) {
                  best[ch] = v;
                  at[ch] = base + ch;
                }
              }
            }
          }
          const o = ((n * OH + oh) * OW + ow) * C;
          for (let ch = 0; ch < C; ch++) if (at[ch]! >= 0) dx[at[ch]!] += dyv[o + ch]!;
        }
      }
    }
    return out;
  };

  /** out[s, ...] = sum of x[i, ...] over i with segmentIds[i] == s (ids outside [0, numSegments) are dropped, as in TF). */
  const unsortedSegmentSum: KernelFn = ({ inputs, backend: b, attrs = {} }) => {
    const backend = b as WasmBackendLike;
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const numSegments = Number(attrs.numSegments);
    if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`UnsortedSegmentSum on wasm: unsupported dtype ${x.dtype}`);
    const idRank = segmentIds.shape.length;
    const rows = segmentIds.shape.reduce((a, v) => a * v, 1);
    const inner = x.shape.slice(idRank).reduce((a, v) => a * v, 1);
    const out = backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
    const xv = backend.typedArrayFromHeap(x);
    const ids = backend.typedArrayFromHeap(segmentIds);
    const o = backend.typedArrayFromHeap(out);
    o.fill(0);
    for (let i = 0; i < rows; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      const src = i * inner;
      const dst = s * inner;
      for (let j = 0; j < inner; j++) o[dst + j] += xv[src + j];
    }
    return out;
  };

  /**
   * The wasm BatchMatMul / _FusedMatMul with transposeA or transposeB is about
   * 10x slower than without (128x784 by 784x128: 7.5 ms against 0.6 ms), and
   * every Dense layer's backward pass uses them (dx = dy W^T, dW = x^T dy).
   * Transposing the operand explicitly first (wasm Transpose) and multiplying
   * untransposed is exact (same products, same order of summation).
   */
  function matMulNoTranspose(name: 'BatchMatMul' | '_FusedMatMul'): KernelFn {
    return (args) => {
      const { inputs, backend: b, attrs = {} } = args;
      const original = originals.get(name);
      if (!original) throw new Error(`wasm kernel ${name} is missing`);
      const backend = b as WasmBackendLike;
      const batch = (t: TensorInfo) => t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
      if (name === '_FusedMatMul' && (batch(inputs.a!) > 1 || batch(inputs.b!) > 1)) return batchedFusedMatMul(args);
      if (!attrs.transposeA && !attrs.transposeB) return original(args);
      return withScratch(backend, (keep) => {
        const flip = (t: TensorInfo) => {
          const r = t.shape.length;
          const perm = [...Array(r).keys()];
          [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
          return keep(run('Transpose', backend, { x: t }, { perm }));
        };
        const a = attrs.transposeA ? flip(inputs.a!) : inputs.a!;
        const bb = attrs.transposeB ? flip(inputs.b!) : inputs.b!;
        return original({ inputs: { ...inputs, a, b: bb }, backend: b, attrs: { ...attrs, transposeA: false, transposeB: false } }) as TensorInfo;
      });
    };
  }

  /**
   * The wasm _FusedMatMul gives wrong rows when the product is batched (rank 3,
   * batch > 1) and a bias is added. Batched fused products are done here as
   * BatchMatMul, then Add(bias), then the activation, each a wasm kernel.
   */
  function batchedFusedMatMul({ inputs, backend: b, attrs = {} }: KernelArgs): TensorInfo {
    const backend = b as WasmBackendLike;
    const { a, b: bm, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
    const activation = (attrs.activation as string | undefined) ?? 'linear';
    return withScratch(backend, (keep) => {
      let y = run('BatchMatMul', backend, { a: a!, b: bm! }, { transposeA: attrs.transposeA ?? false, transposeB: attrs.transposeB ?? false });
      if (bias) {
        keep(y);
        y = run('Add', backend, { a: y, b: bias });
      }
      const act: Record<string, () => TensorInfo> = {
        relu: () => run('Relu', backend, { x: y }),
        relu6: () => run('Relu6', backend, { x: y }),
        elu: () => run('Elu', backend, { x: y }),
        sigmoid: () => run('Sigmoid', backend, { x: y }),
        leakyrelu: () => run('LeakyRelu', backend, { x: y }, { alpha: attrs.leakyreluAlpha ?? 0.2 }),
        prelu: () => run('Prelu', backend, { x: y, alpha: preluActivationWeights! }),
      };
      if (activation === 'linear') return y;
      const f = act[activation];
      if (!f) throw new Error(`_FusedMatMul on wasm: unknown activation ${activation}`);
      keep(y);
      return f();
    });
  }

  /**
   * The wasm GatherV2 copies element by element (~25 ns each): gathering a batch
   * of 128 rows of 784 floats takes ~2.5 ms, which model.fit pays on x and y for
   * every batch (more than the FFN's whole forward and backward pass). Here whole
   * slices are copied with TypedArray.set. Same bounds check and error as the
   * original; string tensors go to the original.
   */
  const gatherV2: KernelFn = (args) => {
    const { inputs, backend: b, attrs = {} } = args;
    const backend = b as WasmBackendLike;
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    const original = originals.get('GatherV2');
    if (x.dtype === 'string' || (indices.dtype !== 'int32' && indices.dtype !== 'float32')) {
      if (original) return original(args);
      throw new Error(`GatherV2 on wasm: unsupported dtypes ${x.dtype}/${indices.dtype}`);
    }
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0]!;
    const info = bu.segment_util.collectGatherOpShapeInfo(x as TF.TensorInfo as never, indices as never, axis, (attrs.batchDims as number) ?? 0);
    const out = backend.makeOutput(info.outputShape, x.dtype);
    const idx = backend.typedArrayFromHeap(indices);
    const dim = info.dimSize;
    for (let i = 0; i < idx.length; i++) {
      const v = idx[i]!;
      if (!(v >= 0 && v <= dim - 1)) throw new Error(`GatherV2: the index value ${v} is not in [0, ${dim - 1}]`);
    }
    if (info.outputShape.reduce((p, d) => p * d, 1) === 0) return out;
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    const { batchSize, outerSize, sliceSize } = info;
    const perBatch = idx.length / batchSize;
    for (let bi = 0; bi < batchSize; bi++) {
      for (let o = 0; o < outerSize; o++) {
        const srcBase = (bi * outerSize + o) * dim;
        const dstBase = (bi * outerSize + o) * perBatch;
        for (let i = 0; i < perBatch; i++) {
          const src = (srcBase + idx[bi * perBatch + i]!) * sliceSize;
          const dst = (dstBase + i) * sliceSize;
          if (sliceSize >= 16) ov.set(xv.subarray(src, src + sliceSize), dst);
          else for (let j = 0; j < sliceSize; j++) ov[dst + j] = xv[src + j]!;
        }
      }
    }
    return out;
  };

  /**
   * The wasm Slice starts with backend.readSync(x), which COPIES all of x out of
   * the wasm heap: taking a 1000-row batch of a 10000x784 tensor costs ~12 ms
   * (model.predict / evaluate slice their input this way). Here the heap is read
   * through a view and only the slice is copied, in runs as long as possible.
   */
  const slice: KernelFn = (args) => {
    const { inputs, backend: b, attrs = {} } = args;
    const backend = b as WasmBackendLike;
    const { x } = inputs as { x: TensorInfo };
    const original = originals.get('Slice');
    if (x.dtype === 'string') {
      if (original) return original(args);
      throw new Error('Slice on wasm: string tensors need the original kernel');
    }
    const [begin, size] = tf.slice_util.parseSliceParams(x as never, attrs.begin as number[], attrs.size as number[]);
    const out = backend.makeOutput(size, x.dtype);
    const n = size.reduce((p, d) => p * d, 1);
    if (n === 0) return out;
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    const shape = x.shape;
    const r = shape.length;
    if (r === 0) {
      ov[0] = xv[0]!;
      return out;
    }
    const strides = tf.util.computeStrides(shape).concat([1]);
    // Innermost axis k from which the slice is one contiguous run per index of the axes before it.
    let k = r - 1;
    while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
    const run = size[k]! * strides[k]!;
    const idx = new Array<number>(k).fill(0);
    let dst = 0;
    for (;;) {
      let src = begin[k]! * strides[k]!;
      for (let i = 0; i < k; i++) src += (begin[i]! + idx[i]!) * strides[i]!;
      if (run >= 16) ov.set(xv.subarray(src, src + run), dst);
      else for (let j = 0; j < run; j++) ov[dst + j] = xv[src + j]!;
      dst += run;
      let d = k - 1;
      while (d >= 0 && ++idx[d]! === size[d]) idx[d--] = 0;
      if (d < 0) break;
    }
    return out;
  };

  /**
   * Element-wise ops broadcasting a vector along the last axis (adding a conv or
   * dense bias, scaling by batch-norm factors) run ~8x slower on wasm than the
   * same op on equal shapes (XNNPACK works row by row, and rows are only C
   * long): 128x28x28x6 + [6] takes ~1 ms. Widening the rows (the big operand
   * seen as [rows/k, k*C], the vector tiled k times) gives the same values
   * (each output element is still one a[i] op b[j]) at the equal-shape speed.
   */
  function lastAxisBroadcast(name: 'Add' | 'Sub' | 'Multiply' | 'RealDiv'): KernelFn {
    return (args) => {
      const { inputs, backend: b } = args;
      const backend = b as WasmBackendLike;
      const original = originals.get(name)!;
      const { a, b: bb } = inputs as { a: TensorInfo; b: TensorInfo };
      if (a.dtype !== 'float32' || bb.dtype !== 'float32') return original(args);
      const size = (t: TensorInfo) => t.shape.reduce((p, d) => p * d, 1);
      const [big, small] = size(a) >= size(bb) ? [a, bb] : [bb, a];
      const C = big.shape[big.shape.length - 1] ?? 0;
      const n = size(big);
      const vectorLike = small.shape.length >= 1 && small.shape.length <= big.shape.length && small.shape[small.shape.length - 1] === C && size(small) === C;
      if (!vectorLike || n < 16384 || C === 0 || C >= 512) return original(args);
      const rows = n / C;
      let k = Math.floor(2048 / C);
      while (k > 1 && rows % k !== 0) k--;
      if (k <= 1) return original(args);
      return withScratch(backend, (keep) => {
        const tiled = new Float32Array(k * C);
        const sv = backend.typedArrayFromHeap(small) as Float32Array;
        for (let i = 0; i < k; i++) tiled.set(sv, i * C);
        const t = keep(backend.makeOutput([k * C], 'float32', undefined, tiled));
        const wide = keep(run('Reshape', backend, { x: big }, { shape: [rows / k, k * C] }));
        const y = keep(original({ inputs: big === a ? { a: wide, b: t } : { a: t, b: wide }, backend: b, attrs: args.attrs }) as TensorInfo);
        return run('Reshape', backend, { x: y }, { shape: big.shape });
      });
    };
  }

  /**
   * Sum over every axis but the last (the gradient of a bias: 128x28x28x6 -> [6])
   * takes ~0.8 ms on wasm (a transpose, then row sums); as ones[1, rows] x
   * x[rows, C] on the wasm matrix product it takes ~0.1 ms. The float32 sums are
   * accumulated in another order, so results can differ in the last bits.
   */
  const sumLeadingAxes: KernelFn = (args) => {
    const { inputs, backend: b, attrs = {} } = args;
    const backend = b as WasmBackendLike;
    const original = originals.get('Sum')!;
    const { x } = inputs as { x: TensorInfo };
    const r = x.shape.length;
    if (x.dtype !== 'float32' || r < 2) return original(args);
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((p, q) => p - q);
    const leading = axes.length === r - 1 && axes.every((v, i) => v === i);
    const n = x.shape.reduce((p, d) => p * d, 1);
    if (!leading || n < 4096) return original(args);
    const C = x.shape[r - 1]!;
    const rows = n / C;
    return withScratch(backend, (keep) => {
      const ones = keep(backend.makeOutput([1, 1, rows], 'float32', undefined, new Float32Array(rows).fill(1)));
      const x3 = keep(run('Reshape', backend, { x }, { shape: [1, rows, C] }));
      const s = keep(originals.get('BatchMatMul')!({ inputs: { a: ones, b: x3 }, backend: b, attrs: { transposeA: false, transposeB: false } }) as TensorInfo);
      return run('Reshape', backend, { x: s }, { shape: attrs.keepDims ? [...Array(r - 1).fill(1), C] : [C] });
    });
  };

  return { originals, lastAxisBroadcast, sumLeadingAxes, slice, gatherV2, matMulNoTranspose, conv2DBackpropFilter, conv2DBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput, unsortedSegmentSum, maxPoolGrad };
}
