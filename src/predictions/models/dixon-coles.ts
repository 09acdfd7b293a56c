/**
 * Dixon & Coles (1997) bivariate-Poisson-with-low-score-correction model, fitted by maximum
 * time-weighted likelihood (weights exp(−ξ·age in days)) with analytic gradients and L-BFGS.
 *
 * Parametrisation (all on the log-rate scale):
 *   log λ_home = intercept + homeAdvantage + attack[home] − defence[away]
 *   log μ_away = intercept + attack[away] − defence[home]
 * Higher attack = scores more; higher defence = concedes fewer. Reported ratings satisfy
 * Σ attack = Σ defence = 0 over fitted teams (the intercept absorbs the level).
 *
 * Identifiability and stability come from a small ridge penalty (κ/2)·Σ[(a−c_a)² + (d−c_d)²]:
 * any rating shift common to all teams is absorbed exactly by the intercept, so the penalty fixes the
 * level and also keeps teams with little data finite. Penalty centres c are the "newcomer prior"
 * (mean rating of the weakest fitted teams) scaled by exp(−W_i/W0), W_i being the team's
 * effective (weighted) match count: sparse-data teams (promoted sides) shrink towards a weak
 * prior instead of towards the league average; established teams are centred at ≈0, where the
 * light ridge (κ ≈ 2 matches against ~60 effective matches) barely moves them.
 */
import { minimizeLbfgs, type LbfgsOptions, type ObjectiveWithGradient } from './optim';
import { DEFAULT_MAX_GOALS, outcome1x2, scoreGrid, type ScoreGrid } from './score-grid';
import { toEpochDays, type DateLike, type MatchResult, type Probabilities1x2 } from './types';

/** Default time-decay rate ξ (per day), ≈ half-life of 385 days (Dixon & Coles used 0.0065/half-week). */
export const DEFAULT_XI = 0.0018;

/** A team's log-scale ratings. */
export interface TeamRating {
  /** Attack: log multiplier on goals scored (0 = league average). */
  attack: number;
  /** Defence: log divisor on goals conceded (0 = league average; higher is better). */
  defence: number;
}

/** Options for {@link fitDixonColes}. */
export interface DixonColesFitOptions {
  /** Fit date: only matches strictly before it are used; match age = asOf − date (days). */
  asOf: DateLike;
  /** Time-decay rate ξ per day (default 0.0018); 0 weights all matches equally. */
  xi?: number;
  /** Teams to include in the model even if they have no matches (e.g. promoted sides); they get the newcomer prior. */
  priorTeams?: readonly string[];
  /** Ridge strength κ in weighted-match units (default 2). 0 disables the penalty (the intercept is then unidentified but predictions are unaffected). */
  ridge?: number;
  /** Explicit newcomer prior relative to the average fitted team; default: mean rating of the `weakestCount` weakest established teams from a first-pass fit. */
  newcomerPrior?: TeamRating;
  /** Number of weakest teams averaged for the newcomer prior (default 3). */
  weakestCount?: number;
  /** W0 in weighted matches (default 15): a team's penalty centre is prior·exp(−W_i/W0). 0 centres every team at 0. */
  newcomerScale?: number;
  /** Matches with time weight below this are ignored (default 1e-3, ≈10.5 years at the default ξ). */
  minWeight?: number;
  /** Fit the Dixon-Coles ρ (default true); false gives independent Poisson (ρ = 0). */
  fitRho?: boolean;
  /**
   * Accept non-negative fractional goal counts, e.g. a blend of goals and a shots-based
   * expected-goals proxy (default false: such rows are skipped as invalid). The Poisson
   * log-likelihood is then a quasi-likelihood; τ is defined only for integer scores, so ρ is fixed at 0.
   */
  fractionalGoals?: boolean;
  /** Starting point for the optimiser (e.g. last week's model); defaults to a data-based guess. */
  warmStart?: DixonColesModel;
  /** Optimiser settings (default gradient tolerance 1e-7 on the per-match objective). */
  optimizer?: LbfgsOptions;
}

/** Fit diagnostics. */
export interface DixonColesDiagnostics {
  /** Matches used (date < asOf, valid score, weight ≥ minWeight). */
  matchesUsed: number;
  /** Σ weights (effective number of matches). */
  effectiveMatches: number;
  /** Weighted log-likelihood at the optimum (including the log-factorial constants). */
  logLikelihood: number;
  /** Total L-BFGS iterations over all stages. */
  iterations: number;
  /** Total objective evaluations over all stages. */
  evaluations: number;
  /** Whether the final stage met its tolerance. */
  converged: boolean;
}

/** A single match prediction. */
export interface DixonColesPrediction {
  /** Expected home goals λ. */
  homeRate: number;
  /** Expected away goals μ. */
  awayRate: number;
  /** Score grid `grid[h][a]` (Dixon-Coles corrected, renormalised). */
  grid: ScoreGrid;
  /** 1X2 probabilities from the grid. */
  probabilities: Probabilities1x2;
}

/** Options for {@link DixonColesModel.predict}. */
export interface DixonColesPredictOptions {
  /** Neutral venue: no home advantage (default false). */
  neutral?: boolean;
  /** Grid size (default 10). */
  maxGoals?: number;
}

/** Fitted Dixon-Coles model. Unknown teams are rated with the newcomer prior, so every match can be predicted. */
export class DixonColesModel {
  constructor(
    /** Fit date in epoch days. */
    readonly asOf: number,
    /** Decay rate used (per day). */
    readonly xi: number,
    /** Log baseline away-goal rate of two average teams. */
    readonly intercept: number,
    /** Log home advantage (home rate multiplier = e^homeAdvantage). */
    readonly homeAdvantage: number,
    /** Dixon-Coles low-score dependence ρ. */
    readonly rho: number,
    /** Ratings of fitted teams and of `priorTeams`. */
    readonly ratings: ReadonlyMap<string, TeamRating>,
    /** Effective (weighted) match count per fitted team. */
    readonly teamWeights: ReadonlyMap<string, number>,
    /** Rating used for teams without data. */
    readonly newcomerPrior: TeamRating,
    /** Fit diagnostics. */
    readonly diagnostics: DixonColesDiagnostics,
  ) {}

  /** Whether the team appeared in the fitted matches. */
  isFitted(team: string): boolean {
    return this.teamWeights.has(team);
  }

  /** The team's rating, or the newcomer prior for an unknown team. */
  rating(team: string): TeamRating {
    return this.ratings.get(team) ?? this.newcomerPrior;
  }

  /** Expected goals for both sides (goals per match). */
  rates(home: string, away: string, options: { neutral?: boolean } = {}): { homeRate: number; awayRate: number } {
    const h = this.rating(home);
    const a = this.rating(away);
    const adv = options.neutral ? 0 : this.homeAdvantage;
    return {
      homeRate: Math.exp(this.intercept + adv + h.attack - a.defence),
      awayRate: Math.exp(this.intercept + a.attack - h.defence),
    };
  }

  /** Expected goals, score grid and 1X2 for `home` vs `away`. Never throws. */
  predict(home: string, away: string, options: DixonColesPredictOptions = {}): DixonColesPrediction {
    const { homeRate, awayRate } = this.rates(home, away, options);
    const grid = scoreGrid(homeRate, awayRate, { rho: this.rho, maxGoals: options.maxGoals ?? DEFAULT_MAX_GOALS });
    return { homeRate, awayRate, grid, probabilities: outcome1x2(grid) };
  }
}

/** Prepared, index-based match data for the objective. @internal */
export interface DixonColesData {
  nTeams: number;
  home: Int32Array;
  away: Int32Array;
  homeGoals: Float64Array;
  awayGoals: Float64Array;
  weight: Float64Array;
}

/** Parameter layout: [intercept, home, rho, attack_0..n-1, defence_0..n-1]. @internal */
export const PARAM_OFFSET = 3;

/**
 * Precision of a N(0, 0.1²) prior on ρ, in units of match weight. The likelihood only bounds ρ
 * through the low scores that occur: with no 0-0, 1-0 or 0-1 in the data, 1-1 draws alone pull
 * ρ towards −∞. Against a season of data (hundreds of weighted matches) the prior is negligible.
 */
const RHO_PRIOR_PRECISION = 100;

/**
 * Penalised negative weighted log-likelihood per unit weight, with analytic gradient. @internal
 * Returns +Infinity where some τ ≤ 0 (ρ outside the valid region), which the line search avoids.
 */
export function dixonColesObjective(
  data: DixonColesData,
  ridge: number,
  centreAttack: Float64Array,
  centreDefence: Float64Array,
  fitRho: boolean,
): ObjectiveWithGradient {
  const n = data.nTeams;
  const m = data.home.length;
  let totalW = 0;
  for (let i = 0; i < m; i++) totalW += data.weight[i]!;
  const scale = 1 / (totalW > 0 ? totalW : 1);
  const A = PARAM_OFFSET;
  const D = PARAM_OFFSET + n;
  return (x, g) => {
    g.fill(0);
    const c = x[0]!;
    const hAdv = x[1]!;
    const rho = fitRho ? x[2]! : 0;
    let nll = 0;
    let gc = 0;
    let gh = 0;
    let gr = 0;
    for (let i = 0; i < m; i++) {
      const hi = data.home[i]!;
      const ai = data.away[i]!;
      const xg = data.homeGoals[i]!;
      const yg = data.awayGoals[i]!;
      const w = data.weight[i]!;
      const etaH = c + hAdv + x[A + hi]! - x[D + ai]!;
      const etaA = c + x[A + ai]! - x[D + hi]!;
      const lam = Math.exp(etaH);
      const mu = Math.exp(etaA);
      let ll = xg * etaH - lam + yg * etaA - mu;
      let dH = xg - lam;
      let dA = yg - mu;
      if (fitRho && xg <= 1 && yg <= 1) {
        let tau: number;
        let tH = 0;
        let tA = 0;
        let tR: number;
        if (xg === 0 && yg === 0) {
          tau = 1 - lam * mu * rho;
          tH = -lam * mu * rho;
          tA = tH;
          tR = -lam * mu;
        } else if (xg === 0) {
          tau = 1 + lam * rho;
          tH = lam * rho;
          tR = lam;
        } else if (yg === 0) {
          tau = 1 + mu * rho;
          tA = mu * rho;
          tR = mu;
        } else {
          tau = 1 - rho;
          tR = -1;
        }
        if (!(tau > 0)) return Infinity;
        ll += Math.log(tau);
        dH += tH / tau;
        dA += tA / tau;
        gr -= (w * tR) / tau;
      }
      nll -= w * ll;
      const wH = -w * dH;
      const wA = -w * dA;
      gc += wH + wA;
      gh += wH;
      g[A + hi] = g[A + hi]! + wH;
      g[D + ai] = g[D + ai]! - wH;
      g[A + ai] = g[A + ai]! + wA;
      g[D + hi] = g[D + hi]! - wA;
    }
    if (ridge > 0) {
      for (let t = 0; t < n; t++) {
        const ea = x[A + t]! - centreAttack[t]!;
        const ed = x[D + t]! - centreDefence[t]!;
        nll += 0.5 * ridge * (ea * ea + ed * ed);
        g[A + t] = g[A + t]! + ridge * ea;
        g[D + t] = g[D + t]! + ridge * ed;
      }
    }
    if (fitRho) {
      nll += 0.5 * RHO_PRIOR_PRECISION * rho * rho;
      gr += RHO_PRIOR_PRECISION * rho;
    }
    g[0] = gc;
    g[1] = gh;
    g[2] = fitRho ? gr : 0;
    for (let k = 0; k < g.length; k++) g[k] = g[k]! * scale;
    return nll * scale;
  };
}

function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/** Mean rating of the `k` weakest (lowest attack + defence) teams among those with W ≥ half the median W. */
function weakestPrior(
  attack: ArrayLike<number>,
  defence: ArrayLike<number>,
  weights: ArrayLike<number>,
  k: number,
): TeamRating {
  const n = weights.length;
  if (n === 0) return { attack: 0, defence: 0 };
  const sortedW = Array.from(weights).sort((a, b) => a - b);
  const median = sortedW[Math.floor((n - 1) / 2)]!;
  const eligible: number[] = [];
  for (let i = 0; i < n; i++) if (weights[i]! >= 0.5 * median) eligible.push(i);
  eligible.sort((i, j) => attack[i]! + defence[i]! - (attack[j]! + defence[j]!));
  const pick = eligible.slice(0, Math.max(1, Math.min(k, eligible.length)));
  let a = 0;
  let d = 0;
  for (const i of pick) {
    a += attack[i]!;
    d += defence[i]!;
  }
  return { attack: a / pick.length, defence: d / pick.length };
}

/**
 * Fits a Dixon-Coles model to matches played strictly before `asOf`, weighting each by
 * exp(−ξ·age). Never throws on odd data: invalid rows are skipped; with no usable data every
 * team gets an average rating and default rates (~1.5 home / 1.15 away goals).
 */
export function fitDixonColes(matches: readonly MatchResult[], options: DixonColesFitOptions): DixonColesModel {
  const asOf = toEpochDays(options.asOf);
  const xi = options.xi ?? DEFAULT_XI;
  const ridge = Math.max(0, options.ridge ?? 2);
  const minWeight = options.minWeight ?? 1e-3;
  const fractional = options.fractionalGoals ?? false;
  const fitRho = (options.fitRho ?? true) && !fractional;
  const weakestCount = options.weakestCount ?? 3;
  const w0 = Math.max(0, options.newcomerScale ?? 15);

  // ---- prepare data ----
  const index = new Map<string, number>();
  const names: string[] = [];
  const rows: { h: number; a: number; x: number; y: number; w: number }[] = [];
  for (const mt of matches) {
    const t = toEpochDays(mt.date);
    const x = mt.homeGoals;
    const y = mt.awayGoals;
    const valid = fractional ? Number.isFinite(x) && Number.isFinite(y) : Number.isInteger(x) && Number.isInteger(y);
    if (!(t < asOf) || !valid || x < 0 || y < 0) continue;
    if (mt.home === mt.away) continue;
    const w = Math.exp(-xi * (asOf - t));
    if (!(w >= minWeight)) continue;
    for (const name of [mt.home, mt.away]) {
      if (!index.has(name)) {
        index.set(name, names.length);
        names.push(name);
      }
    }
    rows.push({ h: index.get(mt.home)!, a: index.get(mt.away)!, x, y, w });
  }
  const n = names.length;
  const data: DixonColesData = {
    nTeams: n,
    home: Int32Array.from(rows, (r) => r.h),
    away: Int32Array.from(rows, (r) => r.a),
    homeGoals: Float64Array.from(rows, (r) => r.x),
    awayGoals: Float64Array.from(rows, (r) => r.y),
    weight: Float64Array.from(rows, (r) => r.w),
  };
  const teamW = new Float64Array(n);
  let sumW = 0;
  let sumHome = 0;
  let sumAway = 0;
  let llConst = 0;
  for (const r of rows) {
    teamW[r.h] = teamW[r.h]! + r.w;
    teamW[r.a] = teamW[r.a]! + r.w;
    sumW += r.w;
    sumHome += r.w * r.x;
    sumAway += r.w * r.y;
    llConst -= r.w * (logFactorial(r.x) + logFactorial(r.y));
  }

  // ---- starting point ----
  const x0 = new Float64Array(PARAM_OFFSET + 2 * n);
  const meanHome = sumW > 0 ? sumHome / sumW : 1.5;
  const meanAway = sumW > 0 ? sumAway / sumW : 1.15;
  x0[0] = Math.log(Math.max(meanAway, 0.05));
  x0[1] = Math.log(Math.max(meanHome, 0.05) / Math.max(meanAway, 0.05));
  x0[2] = fitRho ? -0.05 : 0;
  const warm = options.warmStart;
  if (warm) {
    x0[0] = warm.intercept;
    x0[1] = warm.homeAdvantage;
    x0[2] = fitRho ? warm.rho : 0;
    for (let i = 0; i < n; i++) {
      const r = warm.rating(names[i]!);
      x0[PARAM_OFFSET + i] = r.attack;
      x0[PARAM_OFFSET + n + i] = r.defence;
    }
  }
  // Make sure the start is feasible (τ > 0 everywhere).
  const probe = new Float64Array(x0.length);
  if (!Number.isFinite(dixonColesObjective(data, 0, new Float64Array(n), new Float64Array(n), fitRho)(x0, probe))) {
    x0[2] = 0;
  }

  const optimizer: LbfgsOptions = { gradientTolerance: 1e-7, ...options.optimizer };
  let iterations = 0;
  let evaluations = 0;
  const run = (centreA: Float64Array, centreD: Float64Array, start: Float64Array) => {
    const fg = dixonColesObjective(data, ridge, centreA, centreD, fitRho);
    const res = minimizeLbfgs(fg, start, optimizer);
    iterations += res.iterations;
    evaluations += res.evaluations;
    return res;
  };

  // Stage 1 (only when the prior must be derived): every team centred at 0, so Σ attack = Σ defence = 0
  // and the weakest teams' mean is directly a rating relative to the average fitted team.
  let x: Float64Array = x0;
  let prior: TeamRating = options.newcomerPrior ?? { attack: 0, defence: 0 };
  let converged = true;
  if (n > 0 && !options.newcomerPrior) {
    const r1 = run(new Float64Array(n), new Float64Array(n), x0);
    x = r1.x;
    converged = r1.converged;
    const m1 = means(x, n);
    const weak = weakestPrior(
      x.subarray(PARAM_OFFSET, PARAM_OFFSET + n),
      x.subarray(PARAM_OFFSET + n),
      teamW,
      weakestCount,
    );
    prior = { attack: weak.attack - m1.meanA, defence: weak.defence - m1.meanD };
  }

  // Stage 2: penalty centres prior·exp(−W_i/W0) pull sparse-data teams towards the newcomer prior.
  const usesCentres = w0 > 0 && (prior.attack !== 0 || prior.defence !== 0);
  if (n > 0 && (usesCentres || options.newcomerPrior)) {
    const ca = new Float64Array(n);
    const cd = new Float64Array(n);
    if (usesCentres) {
      for (let i = 0; i < n; i++) {
        const f = Math.exp(-teamW[i]! / w0);
        ca[i] = prior.attack * f;
        cd[i] = prior.defence * f;
      }
    }
    const r2 = run(ca, cd, x);
    x = r2.x;
    converged = r2.converged;
  }

  // Weighted log-likelihood (unpenalised) for diagnostics.
  const scratch = new Float64Array(x.length);
  const nllPerW = dixonColesObjective(data, 0, new Float64Array(n), new Float64Array(n), fitRho)(x, scratch);
  const logLikelihood = -nllPerW * (sumW > 0 ? sumW : 1) + llConst;

  // Re-centre ratings to Σ attack = Σ defence = 0 (intercept compensates; predictions unchanged).
  const { meanA, meanD } = means(x, n);
  const intercept = x[0]! + meanA - meanD;
  const ratings = new Map<string, TeamRating>();
  const teamWeights = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    ratings.set(names[i]!, {
      attack: x[PARAM_OFFSET + i]! - meanA,
      defence: x[PARAM_OFFSET + n + i]! - meanD,
    });
    teamWeights.set(names[i]!, teamW[i]!);
  }
  // A team with no data would sit exactly at its centre (the prior, on the raw scale) when centres
  // are used; with all-zero centres the raw scale already has mean 0. Shift it like the others.
  const newcomerPrior: TeamRating = usesCentres
    ? { attack: prior.attack - meanA, defence: prior.defence - meanD }
    : prior;
  for (const t of options.priorTeams ?? []) if (!ratings.has(t)) ratings.set(t, newcomerPrior);

  return new DixonColesModel(asOf, xi, intercept, x[1]!, fitRho ? x[2]! : 0, ratings, teamWeights, newcomerPrior, {
    matchesUsed: rows.length,
    effectiveMatches: sumW,
    logLikelihood,
    iterations,
    evaluations,
    converged,
  });
}

function means(x: Float64Array, n: number): { meanA: number; meanD: number } {
  if (n === 0) return { meanA: 0, meanD: 0 };
  let a = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    a += x[PARAM_OFFSET + i]!;
    d += x[PARAM_OFFSET + n + i]!;
  }
  return { meanA: a / n, meanD: d / n };
}
