/** Percentiles and seeded randomness for the bench (deterministic picks make runs comparable). */

export interface Summary {
	n: number;
	p50: number;
	p95: number;
	max: number;
	mean: number;
}

/** Nearest-rank percentile of an unsorted sample (p in 0..1). */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
	return sorted[rank - 1] ?? NaN;
}

export function summarize(samples: readonly number[]): Summary {
	const n = samples.length;
	return {
		n,
		p50: percentile(samples, 0.5),
		p95: percentile(samples, 0.95),
		max: n ? Math.max(...samples) : NaN,
		mean: n ? samples.reduce((s, x) => s + x, 0) / n : NaN
	};
}

export function round(value: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

/** mulberry32: small, fast, good enough to pick samples reproducibly. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** `count` distinct items picked at random (all of them, shuffled, if there are fewer). */
export function sample<T>(items: readonly T[], count: number, random: () => number): T[] {
	const pool = [...items];
	const n = Math.min(count, pool.length);
	for (let i = 0; i < n; i++) {
		const j = i + Math.floor(random() * (pool.length - i));
		const tmp = pool[i] as T;
		pool[i] = pool[j] as T;
		pool[j] = tmp;
	}
	return pool.slice(0, n);
}
