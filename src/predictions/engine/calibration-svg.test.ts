import { describe, expect, it } from 'vitest';
import { calibrationSvg } from './calibration-svg';

const curve = {
  ece: 0.0123,
  home: [
    [0.25, 0.3, 40],
    [0.55, 0.5, 60],
  ] as [number, number, number][],
  draw: [[0.27, 0.25, 100]] as [number, number, number][],
  away: [[0.3, 0.35, 100]] as [number, number, number][],
};

describe('calibration SVG', () => {
  it('draws three panels with the diagonal, both series and an escaped title', () => {
    const svg = calibrationSvg({
      title: 'A & B <test>',
      model: curve,
      market: { ...curve, ece: 0.01 },
      marketLabel: 'Pinnacle',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('A &amp; B &lt;test&gt;');
    expect(svg.match(/stroke-dasharray="4 3"/g)).toHaveLength(4); // three diagonals + the legend sample
    expect(svg.match(/<polyline/g)).toHaveLength(6);
    expect(svg.match(/<circle cx=".*?" cy=".*?" r=".*?" fill="#1f77b4"/g)).toHaveLength(5); // 4 bins + legend
    expect(svg).toContain('ensemble (ECE 0.0123)');
    expect(svg).toContain('Pinnacle (ECE 0.0100)');
    expect(svg).not.toContain('NaN');
  });

  it('works without a market', () => {
    const svg = calibrationSvg({ title: 't', model: curve });
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    expect(svg).not.toContain('#ff7f0e');
  });
});
