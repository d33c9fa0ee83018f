/**
 * Latent semantic analysis: a truncated SVD of the training TF-IDF matrix gives each
 * vocabulary term a short dense vector; a text's vector is the TF-IDF-weighted sum of its
 * terms' vectors, so texts on one topic are close even when they share few words.
 */
import { createRandom } from './gbdt.ts';

export interface LsaModel {
  terms: string[];
  dims: number;
  /** Row-major terms x dims. */
  vectors: ArrayLike<number>;
}

/**
 * An LSA model as stored in the weights file: each term's vector quantised to signed bytes with one
 * scale per term (base64), a quarter of the size of its floats in JSON at no loss that a cosine notices.
 */
export interface PackedLsa {
  terms: string[];
  dims: number;
  scales: number[];
  bytes: string;
}

export function packLsa(model: LsaModel): PackedLsa {
  const n = model.terms.length;
  const bytes = new Int8Array(n * model.dims);
  const scales: number[] = [];
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let d = 0; d < model.dims; d++) max = Math.max(max, Math.abs(model.vectors[i * model.dims + d] ?? 0));
    const scale = max > 0 ? max / 127 : 1;
    scales.push(Number(scale.toPrecision(6)));
    for (let d = 0; d < model.dims; d++) bytes[i * model.dims + d] = Math.round((model.vectors[i * model.dims + d] ?? 0) / scale);
  }
  return { terms: model.terms, dims: model.dims, scales, bytes: Buffer.from(bytes.buffer).toString('base64') };
}

export function unpackLsa(packed: PackedLsa): LsaModel {
  const bytes = new Int8Array(Buffer.from(packed.bytes, 'base64'));
  const vectors = new Float32Array(bytes.length);
  for (let i = 0; i < packed.terms.length; i++) {
    const scale = packed.scales[i] ?? 1;
    for (let d = 0; d < packed.dims; d++) vectors[i * packed.dims + d] = (bytes[i * packed.dims + d] ?? 0) * scale;
  }
  return { terms: packed.terms, dims: packed.dims, vectors };
}

/** Term index lookup built once per model. */
export function createLsaIndex(model: LsaModel): Map<string, number> {
  return new Map(model.terms.map((t, i) => [t, i]));
}

/** Projects TF-IDF weights into the LSA space (not normalised). */
export function projectLsa(model: LsaModel, index: Map<string, number>, weights: Map<string, number>): Float64Array {
  const out = new Float64Array(model.dims);
  for (const [t, w] of weights) {
    const i = index.get(t);
    if (i === undefined) continue;
    const off = i * model.dims;
    for (let d = 0; d < model.dims; d++) out[d] = (out[d] ?? 0) + w * (model.vectors[off + d] ?? 0);
  }
  return out;
}

export function cosineDense(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Modified Gram-Schmidt on the columns of a row-major n x l matrix, in place. */
function orthonormalize(M: Float64Array, n: number, l: number): void {
  for (let j = 0; j < l; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (M[i * l + j] ?? 0) * (M[i * l + p] ?? 0);
      for (let i = 0; i < n; i++) M[i * l + j] = (M[i * l + j] ?? 0) - dot * (M[i * l + p] ?? 0);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (M[i * l + j] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) M[i * l + j] = (M[i * l + j] ?? 0) / norm;
  }
}

/** Eigen-decomposition of a symmetric l x l matrix by cyclic Jacobi rotations. */
function jacobiEigen(S: Float64Array, l: number): { values: number[]; vectors: Float64Array } {
  const A = Float64Array.from(S);
  const V = new Float64Array(l * l);
  for (let i = 0; i < l; i++) V[i * l + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += (A[p * l + q] ?? 0) ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = A[p * l + q] ?? 0;
        if (Math.abs(apq) < 1e-300) continue;
        const app = A[p * l + p] ?? 0;
        const aqq = A[q * l + q] ?? 0;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = A[k * l + p] ?? 0;
          const akq = A[k * l + q] ?? 0;
          A[k * l + p] = c * akp - s * akq;
          A[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = A[p * l + k] ?? 0;
          const aqk = A[q * l + k] ?? 0;
          A[p * l + k] = c * apk - s * aqk;
          A[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = V[k * l + p] ?? 0;
          const vkq = V[k * l + q] ?? 0;
          V[k * l + p] = c * vkp - s * vkq;
          V[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = Array.from({ length: l }, (_, i) => A[i * l + i] ?? 0);
  return { values, vectors: V };
}

/**
 * Randomised truncated SVD (Halko et al.) of the sparse docs x terms matrix given as rows of
 * (term index, weight); returns the top `dims` right singular vectors as term vectors.
 */
export function fitLsa(rows: { t: number[]; w: number[] }[], terms: string[], dims: number, seed = 17): LsaModel {
  const n = rows.length;
  const m = terms.length;
  const l = dims + 10;
  const rand = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const Z: Float64Array = Float64Array.from({ length: m * l }, gauss);
  const Y = new Float64Array(n * l);
  const mulA = (src: Float64Array, dst: Float64Array) => {
    dst.fill(0);
    rows.forEach((r, d) => {
      for (let j = 0; j < r.t.length; j++) {
        const t = r.t[j] ?? 0;
        const w = r.w[j] ?? 0;
        for (let c = 0; c < l; c++) dst[d * l + c] = (dst[d * l + c] ?? 0) + w * (src[t * l + c] ?? 0);
      }
    });
  };
  const mulAt = (src: Float64Array, dst: Float64Array) => {
    dst.fill(0);
    rows.forEach((r, d) => {
      for (let j = 0; j < r.t.length; j++) {
        const t = r.t[j] ?? 0;
        const w = r.w[j] ?? 0;
        for (let c = 0; c < l; c++) dst[t * l + c] = (dst[t * l + c] ?? 0) + w * (src[d * l + c] ?? 0);
      }
    });
  };
  mulA(Z, Y);
  for (let q = 0; q < 3; q++) {
    orthonormalize(Y, n, l);
    mulAt(Y, Z);
    orthonormalize(Z, m, l);
    mulA(Z, Y);
  }
  orthonormalize(Y, n, l);
  // B^T = A^T Q (m x l); eigen of B B^T = (B^T)^T B^T gives the right singular vectors.
  const Bt = new Float64Array(m * l);
  mulAt(Y, Bt);
  const S = new Float64Array(l * l);
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < l; a++) {
      const x = Bt[i * l + a] ?? 0;
      if (x === 0) continue;
      for (let b = 0; b < l; b++) S[a * l + b] = (S[a * l + b] ?? 0) + x * (Bt[i * l + b] ?? 0);
    }
  }
  const { values, vectors } = jacobiEigen(S, l);
  const order = values
    .map((v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, dims);
  const out: number[] = new Array(m * dims).fill(0);
  order.forEach(([value, col], d) => {
    const sigma = Math.sqrt(Math.max(value, 1e-12));
    for (let i = 0; i < m; i++) {
      let v = 0;
      for (let a = 0; a < l; a++) v += (Bt[i * l + a] ?? 0) * (vectors[a * l + col] ?? 0);
      out[i * dims + d] = Number((v / sigma).toPrecision(4));
    }
  });
  return { terms, dims, vectors: out };
}
