/** A unit-length TF-IDF vector: term ids in ascending order with their weights. */
export interface TermVector {
  terms: Int32Array;
  weights: Float64Array;
}

/**
 * TF-IDF vectors of documents given as lists of terms, scaled to unit length so a dot product is
 * their cosine similarity. IDF is smoothed (`ln((1 + n) / (1 + df)) + 1`) so a term in every
 * document still counts a little. A document without terms gets the zero vector.
 *
 * @example
 * const [a, b] = termVectors([['celtic', 'win'], ['celtic', 'lose']]);
 * cosine(a, b) // between 0 and 1
 */
export function termVectors(documents: readonly (readonly string[])[]): TermVector[] {
  const ids = new Map<string, number>();
  const documentFrequency: number[] = [];
  const counts = documents.map((terms) => {
    const count = new Map<number, number>();
    for (const term of terms) {
      let id = ids.get(term);
      if (id === undefined) {
        id = ids.size;
        ids.set(term, id);
        documentFrequency.push(0);
      }
      count.set(id, (count.get(id) ?? 0) + 1);
    }
    for (const id of count.keys()) documentFrequency[id] = (documentFrequency[id] ?? 0) + 1;
    return count;
  });
  const n = documents.length;
  return counts.map((count) => {
    const entries = [...count.entries()].sort((a, b) => a[0] - b[0]);
    const terms = Int32Array.from(entries, ([id]) => id);
    const weights = Float64Array.from(entries, ([id, tf]) => tf * (Math.log((1 + n) / (1 + (documentFrequency[id] ?? 0))) + 1));
    let norm = 0;
    for (const weight of weights) norm += weight * weight;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] ?? 0) / norm;
    return { terms, weights };
  });
}

/** Cosine similarity of two unit vectors (0 when either is the zero vector). */
export function cosine(a: TermVector, b: TermVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.terms.length && j < b.terms.length) {
    const termA = a.terms[i] ?? 0;
    const termB = b.terms[j] ?? 0;
    if (termA === termB) {
      dot += (a.weights[i] ?? 0) * (b.weights[j] ?? 0);
      i++;
      j++;
    } else if (termA < termB) {
      i++;
    } else {
      j++;
    }
  }
  return dot;
}

export interface LexRankOptions {
  /** Probability of following a similarity edge rather than jumping to a random sentence. */
  damping?: number;
  /** Stop once no score moves more than this in one iteration. */
  tolerance?: number;
  maxIterations?: number;
  /**
   * Where the random jump lands, one non-negative weight per sentence (normalised here); uniform
   * when absent. Biasing it (Otterbacher et al., 2005) lets newer sentences win among equals.
   */
  prior?: readonly number[];
}

/**
 * Continuous LexRank (Erkan & Radev, 2004): the stationary distribution of a random walk over
 * the sentence similarity graph, found by power iteration. Edges are weighted by cosine similarity
 * (no self-loops); the walk jumps (with probability 1 - damping, or from a sentence similar to no
 * other) to a sentence drawn from `prior`. Scores sum to 1.
 * Deterministic: the same vectors in the same order give bit-identical scores.
 *
 * @example
 * const scores = lexRank(termVectors(sentences.map(contentWords)));
 */
export function lexRank(vectors: readonly TermVector[], options: LexRankOptions = {}): Float64Array {
  const n = vectors.length;
  const damping = options.damping ?? 0.85;
  const tolerance = options.tolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 200;
  if (n === 0) return new Float64Array(0);

  const { matrix: similarity, rowSums } = similarityMatrix(vectors);

  const teleport = new Float64Array(n).fill(1 / n);
  const priorSum = options.prior?.reduce((sum, weight) => sum + Math.max(0, weight), 0) ?? 0;
  if (options.prior && priorSum > 0) for (let i = 0; i < n; i++) teleport[i] = Math.max(0, options.prior[i] ?? 0) / priorSum;

  // On an undirected graph the walk without jumps settles in proportion to each sentence's total
  // similarity, so starting there instead of uniform saves most of the iterations.
  let totalSimilarity = 0;
  for (const sum of rowSums) totalSimilarity += sum;
  let scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const walk = totalSimilarity > 0 ? (rowSums[i] ?? 0) / totalSimilarity : 1 / n;
    scores[i] = (1 - damping) * (teleport[i] ?? 0) + damping * walk;
  }
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let danglingMass = 0;
    for (let i = 0; i < n; i++) if (rowSums[i] === 0) danglingMass += scores[i] ?? 0;
    const jump = 1 - damping + damping * danglingMass;
    for (let i = 0; i < n; i++) next[i] = jump * (teleport[i] ?? 0);
    for (let i = 0; i < n; i++) {
      const sum = rowSums[i] ?? 0;
      if (sum === 0) continue;
      const share = (damping * (scores[i] ?? 0)) / sum;
      const row = i * n;
      for (let j = 0; j < n; j++) next[j] = (next[j] ?? 0) + share * (similarity[row + j] ?? 0);
    }
    let change = 0;
    for (let i = 0; i < n; i++) change = Math.max(change, Math.abs((next[i] ?? 0) - (scores[i] ?? 0)));
    [scores, next] = [next, scores];
    if (change < tolerance) break;
  }
  return scores;
}

/**
 * Cosine similarity of every pair as a dense n×n matrix with a zero diagonal, and each row's sum,
 * accumulated through an inverted index so pairs that share no term cost nothing.
 */
function similarityMatrix(vectors: readonly TermVector[]): { matrix: Float64Array; rowSums: Float64Array } {
  const n = vectors.length;
  const postings = new Map<number, { sentence: number; weight: number }[]>();
  vectors.forEach((vector, sentence) => {
    vector.terms.forEach((term, k) => {
      let list = postings.get(term);
      if (!list) {
        list = [];
        postings.set(term, list);
      }
      list.push({ sentence, weight: vector.weights[k] ?? 0 });
    });
  });
  const matrix = new Float64Array(n * n);
  const rowSums = new Float64Array(n);
  for (const list of postings.values()) {
    for (let a = 0; a < list.length; a++) {
      const first = list[a];
      if (!first) continue;
      for (let b = a + 1; b < list.length; b++) {
        const second = list[b];
        if (!second || second.sentence === first.sentence) continue;
        const product = first.weight * second.weight;
        matrix[first.sentence * n + second.sentence] = (matrix[first.sentence * n + second.sentence] ?? 0) + product;
        matrix[second.sentence * n + first.sentence] = (matrix[second.sentence * n + first.sentence] ?? 0) + product;
        rowSums[first.sentence] = (rowSums[first.sentence] ?? 0) + product;
        rowSums[second.sentence] = (rowSums[second.sentence] ?? 0) + product;
      }
    }
  }
  return { matrix, rowSums };
}
