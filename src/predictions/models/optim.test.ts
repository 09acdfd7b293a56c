import { describe, expect, it } from 'vitest';
import { gradientCheck, minimizeLbfgs, numericalGradient, type ObjectiveWithGradient } from './optim';

const rosenbrock: ObjectiveWithGradient = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] = g[i]! - 400 * x[i]! * a - 2 * b;
    g[i + 1] = g[i + 1]! + 200 * a;
  }
  return f;
};

describe('minimizeLbfgs', () => {
  it('minimises a shifted quadratic exactly', () => {
    const centre = [1, -2, 3, 0.5];
    const scale = [1, 10, 100, 1000];
    const fg: ObjectiveWithGradient = (x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        const d = x[i]! - centre[i]!;
        f += 0.5 * scale[i]! * d * d;
        g[i] = scale[i]! * d;
      }
      return f;
    };
    const r = minimizeLbfgs(fg, [0, 0, 0, 0]);
    expect(r.converged).toBe(true);
    for (let i = 0; i < 4; i++) expect(r.x[i]).toBeCloseTo(centre[i]!, 6);
    expect(r.value).toBeLessThan(1e-10);
  });

  it('solves the 2-D Rosenbrock function from (-1.2, 1)', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-8 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.iterations).toBeLessThan(100);
  });

  it('solves the 20-D extended Rosenbrock function', () => {
    const x0 = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = minimizeLbfgs(rosenbrock, x0, { gradientTolerance: 1e-8, maxIterations: 2000 });
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 4);
  });

  it('backtracks out of an infeasible region (non-finite objective)', () => {
    // f(x) = x - log(x), minimum at x = 1, +Infinity for x <= 0.
    const fg: ObjectiveWithGradient = (x, g) => {
      const v = x[0]!;
      if (v <= 0) {
        g[0] = NaN;
        return Infinity;
      }
      g[0] = 1 - 1 / v;
      return v - Math.log(v);
    };
    const r = minimizeLbfgs(fg, [20]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
  });

  it('returns immediately at a stationary point and never throws on a non-finite start', () => {
    const zero: ObjectiveWithGradient = (_x, g) => {
      g.fill(0);
      return 3;
    };
    const r0 = minimizeLbfgs(zero, [1, 2]);
    expect(r0.iterations).toBe(0);
    expect(r0.reason).toBe('gradient');
    const bad: ObjectiveWithGradient = (_x, g) => {
      g.fill(NaN);
      return NaN;
    };
    const r1 = minimizeLbfgs(bad, [1]);
    expect(r1.converged).toBe(false);
  });

  it('respects maxIterations', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(r.iterations).toBeLessThanOrEqual(3);
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('maxIterations');
  });
});

describe('gradient helpers', () => {
  it('numericalGradient matches a hand derivative', () => {
    const g = numericalGradient((x) => x[0]! * x[0]! * x[1]!, [3, 2]);
    expect(g[0]).toBeCloseTo(12, 6);
    expect(g[1]).toBeCloseTo(9, 6);
  });

  it('gradientCheck is ~0 for a correct gradient and large for a wrong one', () => {
    expect(gradientCheck(rosenbrock, [0.3, -0.7, 1.1])).toBeLessThan(1e-5);
    const wrong: ObjectiveWithGradient = (x, g) => {
      g[0] = 0;
      return x[0]! * x[0]!;
    };
    expect(gradientCheck(wrong, [2])).toBeGreaterThan(1);
  });
});
