import { existsSync } from 'node:fs';

// The page function runs in the browser: declare the DOM globals it uses (tsconfig has no DOM lib).
declare const Image: new () => { src: string; decode(): Promise<void> };
declare const document: { createElement(tag: 'canvas'): any };

/** Debian's headless Chromium (installed by npm run test:setup); a test tool's own browser download fails here. */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Skip only on a developer machine without the browser: when Chromium is missing AND `CI` is
 * unset. In CI (`CI` set to anything, even '' or 'false') .ci/run installs it, so a missing
 * browser must fail the test, not skip it.
 */
export function shouldSkipRendering(chromiumPresent: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return !chromiumPresent && env.CI === undefined;
}

export const skipRendering = shouldSkipRendering(existsSync(CHROMIUM), process.env);

/** RGBA pixels of an SVG rasterised by Chromium at its own size. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  at(x: number, y: number): [number, number, number];
}

/** Renders SVG documents in one headless Chromium and returns their pixels. */
export async function renderSvgs(svgs: readonly string[], width: number, height: number): Promise<Pixels[]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    const out: Pixels[] = [];
    for (const svg of svgs) {
      // Rasterise through an <img> into a canvas: Chromium's SVG renderer, and pixels without a PNG decoder.
      const base64 = await page.evaluate(
        async ({ svg, width, height }) => {
          const img = new Image();
          img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = width;
          canvas.height = height;
          const ctx = canvas.getContext('2d')!;
          ctx.drawImage(img, 0, 0, width, height);
          const data = ctx.getImageData(0, 0, width, height).data;
          let s = '';
          for (let k = 0; k < data.length; k += 0x8000) s += String.fromCharCode(...data.subarray(k, k + 0x8000));
          return btoa(s);
        },
        { svg, width, height },
      );
      const data = new Uint8Array(Buffer.from(base64, 'base64'));
      out.push({
        width,
        height,
        data,
        at(x, y) {
          const k = 4 * (Math.round(y) * width + Math.round(x));
          return [data[k], data[k + 1], data[k + 2]];
        },
      });
    }
    return out;
  } finally {
    await browser.close();
  }
}

/** Relative luminance (0…255) of an sRGB colour, for ordering colours of a sequential map. */
export const luminance = ([r, g, b]: readonly number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
