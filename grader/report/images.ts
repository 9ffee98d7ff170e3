/**
 * Sample images for the reports: raw 8-bit pixels (base64, row-major HWC, 1
 * or 3 channels) → PNG data URIs, scaled up by whole pixels so small images
 * (28×28) stay sharp in print without relying on CSS image-rendering.
 */
import { PNG } from 'pngjs';

export interface EncodedImage {
  src: string;
  width: number;
  height: number;
}

/** Encode one image; `scale` repeats each pixel scale×scale times. */
export function pngDataUri(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, scale = 1): EncodedImage {
  const need = width * height * channels;
  if (pixels.length < need) throw new Error(`image has ${pixels.length} bytes; ${width}×${height}×${channels} needs ${need}`);
  const W = width * scale, H = height * scale;
  const png = new PNG({ width: W, height: H, colorType: channels === 1 ? 0 : 2, inputColorType: channels === 1 ? 0 : 2, inputHasAlpha: false, bitDepth: 8 });
  const out = Buffer.alloc(W * H * channels);
  for (let y = 0; y < H; y++) {
    const sy = Math.floor(y / scale);
    for (let x = 0; x < W; x++) {
      const sx = Math.floor(x / scale);
      const from = (sy * width + sx) * channels, to = (y * W + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = pixels[from + c];
    }
  }
  png.data = out;
  const buf = PNG.sync.write(png, { colorType: channels === 1 ? 0 : 2, inputColorType: channels === 1 ? 0 : 2, inputHasAlpha: false });
  return { src: `data:image/png;base64,${buf.toString('base64')}`, width: W, height: H };
}

/** Decode the artifact's base64 pixels and encode as PNG. */
export function sampleToDataUri(base64: string, width: number, height: number, channels: 1 | 3, scale = 1): EncodedImage {
  return pngDataUri(new Uint8Array(Buffer.from(base64, 'base64')), width, height, channels, scale);
}
