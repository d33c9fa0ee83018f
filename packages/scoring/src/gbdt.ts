/**
 * A small histogram-based gradient-boosted tree ensemble (XGBoost-style second-order
 * boosting): logistic loss for two classes, softmax for more. Training and prediction are
 * pure functions; a trained model is plain JSON.
 */

/** One regression tree in flat arrays; node i is a leaf when `f[i] < 0`, then `v[i]` is its value. */
export interface Tree {
  f: number[];
  t: number[];
  l: number[];
  r: number[];
  v: number[];
}

export interface TreeEnsemble {
  /** Number of classes; 2 means one logistic output (probability of class 1). */
  classes: number;
  base: number[];
  /** Trees in round-major order: tree i adds to output `i % outputs`. */
  trees: Tree[];
  features: number;
}

export function outputsOf(model: TreeEnsemble): number {
  return model.classes === 2 ? 1 : model.classes;
}

function evalTree(tree: Tree, x: ArrayLike<number>): number {
  let n = 0;
  const f = tree.f;
  for (;;) {
    const fi = f[n] ?? -1;
    if (fi < 0) return tree.v[n] ?? 0;
    n = (x[fi] ?? 0) <= (tree.t[n] ?? 0) ? (tree.l[n] ?? 0) : (tree.r[n] ?? 0);
  }
}

/** Raw margins (one per output). */
export function predictMargins(model: TreeEnsemble, x: ArrayLike<number>, rounds?: number): number[] {
  const k = outputsOf(model);
  const out = model.base.slice(0, k);
  const n = rounds === undefined ? model.trees.length : Math.min(model.trees.length, rounds * k);
  for (let i = 0; i < n; i++) {
    const tree = model.trees[i];
    if (tree) out[i % k] = (out[i % k] ?? 0) + evalTree(tree, x);
  }
  return out;
}

/** Class probabilities (length `classes`). */
export function predictProba(model: TreeEnsemble, x: ArrayLike<number>, rounds?: number): number[] {
  return marginsToProba(model.classes, predictMargins(model, x, rounds));
}

function marginsToProba(classes: number, m: number[]): number[] {
  if (classes === 2) {
    const p = 1 / (1 + Math.exp(-(m[0] ?? 0)));
    return [1 - p, p];
  }
  const max = Math.max(...m);
  const e = m.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export interface TrainOptions {
  rounds: number;
  learningRate: number;
  maxDepth: number;
  minChildWeight: number;
  lambda: number;
  /** Minimum loss reduction to make a split. */
  gamma: number;
  subsample: number;
  colsample: number;
  maxBins: number;
  seed: number;
  /** Per-row weights (e.g. class weights). */
  weights?: ArrayLike<number>;
  /** Validation set for early stopping / model selection. */
  valid?: { X: ArrayLike<number>[]; y: ArrayLike<number>; weights?: ArrayLike<number> };
  earlyStoppingRounds?: number;
  /**
   * Monotone constraints per output (one array per class, or one for a binary model), indexed by feature:
   * 1 the output may only rise with the feature, -1 only fall, 0 free (LightGBM's "basic" method: a split
   * that breaks the order is not taken, and its children's leaves are bounded at the midpoint).
   */
  monotone?: readonly (readonly number[])[];
  /** Called after each round with the weighted validation log-loss, if a validation set is given. */
  onRound?: (round: number, trainLoss: number, validLoss: number | undefined) => void;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  rounds: 300,
  learningRate: 0.08,
  maxDepth: 6,
  minChildWeight: 1,
  lambda: 1,
  gamma: 0,
  subsample: 0.8,
  colsample: 0.8,
  maxBins: 64,
  seed: 1,
};

/** Deterministic PRNG (mulberry32) so training is reproducible. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Binned {
  bins: Uint8Array[];
  /** Upper edge (inclusive raw value) per feature and bin. */
  edges: number[][];
}

function binFeatures(X: ArrayLike<number>[], nFeatures: number, maxBins: number): Binned {
  const n = X.length;
  const bins: Uint8Array[] = [];
  const edges: number[][] = [];
  const col = new Float64Array(n);
  for (let f = 0; f < nFeatures; f++) {
    for (let i = 0; i < n; i++) col[i] = X[i]?.[f] ?? 0;
    const sorted = Float64Array.from(col).sort();
    const uniq: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = sorted[i] ?? 0;
      if (uniq.length === 0 || uniq[uniq.length - 1] !== v) uniq.push(v);
    }
    let e: number[];
    if (uniq.length <= maxBins) {
      e = uniq.map((v, i) => (i + 1 < uniq.length ? (v + (uniq[i + 1] ?? v)) / 2 : Infinity));
    } else {
      e = [];
      for (let b = 1; b < maxBins; b++) {
        const q = sorted[Math.floor((b * n) / maxBins)] ?? 0;
        if (e.length === 0 || q > (e[e.length - 1] ?? -Infinity)) e.push(q);
      }
      e.push(Infinity);
    }
    const bf = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = col[i] ?? 0;
      let lo = 0;
      let hi = e.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v <= (e[mid] ?? Infinity)) hi = mid;
        else lo = mid + 1;
      }
      bf[i] = lo;
    }
    bins.push(bf);
    edges.push(e);
  }
  return { bins, edges };
}

interface BuildState {
  binned: Binned;
  g: Float64Array;
  h: Float64Array;
  cols: number[];
  opts: TrainOptions;
  B: number;
  F: number;
  tree: Tree;
  /** This tree's monotone constraints by feature, if any. */
  mono: readonly number[] | undefined;
}

function buildHist(st: BuildState, rows: Int32Array, hist: Float64Array): void {
  hist.fill(0);
  const { g, h, B } = st;
  for (const f of st.cols) {
    const bf = st.binned.bins[f];
    if (!bf) continue;
    const off = f * B * 2;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] ?? 0;
      const b = off + (bf[r] ?? 0) * 2;
      hist[b] = (hist[b] ?? 0) + (g[r] ?? 0);
      hist[b + 1] = (hist[b + 1] ?? 0) + (h[r] ?? 0);
    }
  }
}

function addNode(tree: Tree): number {
  tree.f.push(-1);
  tree.t.push(0);
  tree.l.push(-1);
  tree.r.push(-1);
  tree.v.push(0);
  return tree.f.length - 1;
}

function grow(
  st: BuildState,
  node: number,
  rows: Int32Array,
  hist: Float64Array,
  G: number,
  H: number,
  depth: number,
  lo = -Infinity,
  hi = Infinity,
): void {
  const { opts, B, mono } = st;
  const lambda = opts.lambda;
  const clamp = (w: number) => Math.min(hi, Math.max(lo, w));
  st.tree.v[node] = clamp(-G / (H + lambda)) * opts.learningRate;
  if (depth >= opts.maxDepth || rows.length < 2 || H < 2 * opts.minChildWeight) return;
  const parentScore = (G * G) / (H + lambda);
  let bestGain = opts.gamma;
  let bestF = -1;
  let bestBin = -1;
  let bestGL = 0;
  let bestHL = 0;
  for (const f of st.cols) {
    const off = f * B * 2;
    const nb = st.binned.edges[f]?.length ?? 0;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < nb - 1; b++) {
      gl += hist[off + b * 2] ?? 0;
      hl += hist[off + b * 2 + 1] ?? 0;
      if (hl < opts.minChildWeight) continue;
      const hr = H - hl;
      if (hr < opts.minChildWeight) break;
      const gr = G - gl;
      const sign = mono?.[f] ?? 0;
      if (sign !== 0) {
        const order = clamp(-gr / (hr + lambda)) - clamp(-gl / (hl + lambda));
        if (sign * order < 0) continue;
      }
      const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        bestF = f;
        bestBin = b;
        bestGL = gl;
        bestHL = hl;
      }
    }
  }
  if (bestF < 0) return;
  const bf = st.binned.bins[bestF] as Uint8Array;
  let nl = 0;
  for (let i = 0; i < rows.length; i++) if ((bf[rows[i] ?? 0] ?? 0) <= bestBin) nl++;
  const left = new Int32Array(nl);
  const right = new Int32Array(rows.length - nl);
  let li = 0;
  let ri = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] ?? 0;
    if ((bf[r] ?? 0) <= bestBin) left[li++] = r;
    else right[ri++] = r;
  }
  const ln = addNode(st.tree);
  const rn = addNode(st.tree);
  st.tree.f[node] = bestF;
  st.tree.t[node] = st.binned.edges[bestF]?.[bestBin] ?? 0;
  st.tree.l[node] = ln;
  st.tree.r[node] = rn;
  // Histogram subtraction: build the smaller child, derive the larger from the parent.
  const smallHist = new Float64Array(hist.length);
  const leftSmaller = left.length <= right.length;
  buildHist(st, leftSmaller ? left : right, smallHist);
  for (let i = 0; i < hist.length; i++) hist[i] = (hist[i] ?? 0) - (smallHist[i] ?? 0);
  const lHist = leftSmaller ? smallHist : hist;
  const rHist = leftSmaller ? hist : smallHist;
  // A constrained split bounds its children at the midpoint of their values, so no leaf below breaks the order.
  let [lLo, lHi, rLo, rHi] = [lo, hi, lo, hi];
  const sign = mono?.[bestF] ?? 0;
  if (sign !== 0) {
    const mid = (clamp(-bestGL / (bestHL + lambda)) + clamp(-(G - bestGL) / (H - bestHL + lambda))) / 2;
    if (sign > 0) [lHi, rLo] = [Math.min(hi, mid), Math.max(lo, mid)];
    else [lLo, rHi] = [Math.max(lo, mid), Math.min(hi, mid)];
  }
  grow(st, ln, left, lHist, bestGL, bestHL, depth + 1, lLo, lHi);
  grow(st, rn, right, rHist, G - bestGL, H - bestHL, depth + 1, rLo, rHi);
}

function roundValue(v: number): number {
  if (!Number.isFinite(v)) return v > 0 ? 1e300 : -1e300;
  return Number(v.toPrecision(7));
}

function compactTree(tree: Tree): Tree {
  return {
    f: tree.f,
    t: tree.t.map(roundValue),
    l: tree.l,
    r: tree.r,
    v: tree.v.map((v) => Number(v.toPrecision(6))),
  };
}

function lossOf(classes: number, margins: Float64Array, k: number, y: ArrayLike<number>, w: ArrayLike<number> | undefined): number {
  let loss = 0;
  let tw = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const m = Array.from(margins.subarray(i * k, i * k + k));
    const p = marginsToProba(classes, m);
    const wi = w ? (w[i] ?? 1) : 1;
    loss -= wi * Math.log(Math.max(p[y[i] ?? 0] ?? 0, 1e-15));
    tw += wi;
  }
  return loss / Math.max(tw, 1e-12);
}

/**
 * Trains a boosted ensemble. With a validation set and `earlyStoppingRounds`, stops when
 * the validation log-loss has not improved for that many rounds and keeps the best rounds.
 */
export function trainGbdt(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  classes: number,
  options: Partial<TrainOptions> = {},
): { model: TreeEnsemble; bestRound: number; validLoss?: number } {
  const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const n = X.length;
  if (n === 0) throw new Error('scoring: trainGbdt needs at least one row');
  const F = X[0]?.length ?? 0;
  const k = classes === 2 ? 1 : classes;
  const rand = createRandom(opts.seed);
  const binned = binFeatures(X, F, Math.min(opts.maxBins, 256));
  const w = opts.weights;
  // Base score: class log-priors.
  const prior = new Float64Array(classes);
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? (w[i] ?? 1) : 1;
    prior[y[i] ?? 0] = (prior[y[i] ?? 0] ?? 0) + wi;
    wsum += wi;
  }
  const base: number[] = [];
  if (classes === 2) {
    const p = Math.min(Math.max((prior[1] ?? 0) / wsum, 1e-6), 1 - 1e-6);
    base.push(Math.log(p / (1 - p)));
  } else {
    for (let c = 0; c < classes; c++) base.push(Math.log(Math.max((prior[c] ?? 0) / wsum, 1e-6)));
  }
  const margins = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) margins[i * k + c] = base[c] ?? 0;
  const valid = opts.valid;
  const vMargins = valid ? new Float64Array(valid.y.length * k) : undefined;
  if (valid && vMargins) for (let i = 0; i < valid.y.length; i++) for (let c = 0; c < k; c++) vMargins[i * k + c] = base[c] ?? 0;
  const model: TreeEnsemble = { classes, base, trees: [], features: F };
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const B = Math.min(opts.maxBins, 256);
  let bestLoss = Infinity;
  let bestRound = 0;
  const probs = new Float64Array(n * k);
  for (let round = 0; round < opts.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = marginsToProba(classes, Array.from(margins.subarray(i * k, i * k + k)));
      for (let c = 0; c < k; c++) probs[i * k + c] = classes === 2 ? (p[1] ?? 0) : (p[c] ?? 0);
    }
    const sampled: number[] = [];
    for (let i = 0; i < n; i++) if (opts.subsample >= 1 || rand() < opts.subsample) sampled.push(i);
    const rows = Int32Array.from(sampled);
    for (let c = 0; c < k; c++) {
      let G = 0;
      let H = 0;
      for (const i of rows) {
        const p = probs[i * k + c] ?? 0;
        const target = classes === 2 ? ((y[i] ?? 0) === 1 ? 1 : 0) : (y[i] ?? 0) === c ? 1 : 0;
        const wi = w ? (w[i] ?? 1) : 1;
        const gi = (p - target) * wi;
        const hi = Math.max(p * (1 - p), 1e-6) * wi;
        g[i] = gi;
        h[i] = hi;
        G += gi;
        H += hi;
      }
      const cols: number[] = [];
      for (let f = 0; f < F; f++) if (opts.colsample >= 1 || rand() < opts.colsample) cols.push(f);
      if (cols.length === 0) cols.push(Math.floor(rand() * F));
      const tree: Tree = { f: [], t: [], l: [], r: [], v: [] };
      const st: BuildState = { binned, g, h, cols, opts, B, F, tree, mono: opts.monotone?.[c] };
      const root = addNode(tree);
      const hist = new Float64Array(F * B * 2);
      buildHist(st, rows, hist);
      grow(st, root, rows, hist, G, H, 0);
      const compact = compactTree(tree);
      model.trees.push(compact);
      for (let i = 0; i < n; i++) margins[i * k + c] = (margins[i * k + c] ?? 0) + evalTree(compact, X[i] ?? []);
      if (valid && vMargins) {
        for (let i = 0; i < valid.y.length; i++) vMargins[i * k + c] = (vMargins[i * k + c] ?? 0) + evalTree(compact, valid.X[i] ?? []);
      }
    }
    let vLoss: number | undefined;
    if (valid && vMargins) {
      vLoss = lossOf(classes, vMargins, k, valid.y, valid.weights);
      if (vLoss < bestLoss - 1e-7) {
        bestLoss = vLoss;
        bestRound = round + 1;
      } else if (opts.earlyStoppingRounds !== undefined && round + 1 - bestRound >= opts.earlyStoppingRounds) {
        opts.onRound?.(round + 1, NaN, vLoss);
        break;
      }
    } else {
      bestRound = round + 1;
    }
    opts.onRound?.(round + 1, NaN, vLoss);
  }
  if (valid && opts.earlyStoppingRounds !== undefined) model.trees = model.trees.slice(0, bestRound * k);
  return { model, bestRound, ...(valid ? { validLoss: bestLoss } : {}) };
}

/**
 * Merges models trained on the same task (e.g. with different seeds) into one ensemble whose
 * margins are the average of theirs: leaf values are scaled by 1/n and the trees concatenated.
 */
export function averageEnsembles(models: readonly TreeEnsemble[]): TreeEnsemble {
  const first = models[0];
  if (!first) throw new Error('scoring: averageEnsembles needs at least one model');
  const n = models.length;
  const k = outputsOf(first);
  const base = first.base.map((_, c) => models.reduce((a, m) => a + (m.base[c] ?? 0), 0) / n);
  const trees: Tree[] = [];
  for (const m of models) {
    if (m.classes !== first.classes || m.features !== first.features || m.trees.length % k !== 0) {
      throw new Error('scoring: averageEnsembles needs models of the same shape');
    }
    for (const t of m.trees) trees.push({ ...t, v: t.v.map((v) => Number((v / n).toPrecision(6))) });
  }
  return { classes: first.classes, base, trees, features: first.features };
}
