/**
 * A small seeded PRNG for demo data: sfc32 seeded from a string through cyrb128. Same seed -> same sequence on
 * every platform (only 32-bit integer maths). Not cryptographic; never use it for ids that must be unguessable.
 */

/** cyrb128: a fast 128-bit string hash, returned as four 32-bit words. */
export function cyrb128(input: string): [number, number, number, number] {
	let h1 = 1779033703;
	let h2 = 3144134277;
	let h3 = 1013904242;
	let h4 = 2773480762;
	for (let i = 0; i < input.length; i++) {
		const k = input.charCodeAt(i);
		h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
		h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
		h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
		h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
	}
	h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
	h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
	h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
	h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
	h1 ^= h2 ^ h3 ^ h4;
	h2 ^= h1;
	h3 ^= h1;
	h4 ^= h1;
	return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Hex digest (32 chars) of a string; stable across runs. Used for seed-derived names, not for security. */
export function hashHex(input: string): string {
	return cyrb128(input)
		.map((w) => w.toString(16).padStart(8, '0'))
		.join('');
}

export interface Rng {
	/** The seed string this generator was created from. */
	readonly seed: string;
	/** Uniform float in [0, 1). */
	next(): number;
	/** Uniform unsigned 32-bit integer. */
	uint32(): number;
	/** Uniform integer in [min, max], both inclusive. */
	int(min: number, max: number): number;
	/** True with probability p. */
	chance(p: number): boolean;
	/** A uniformly chosen element; throws on an empty array. */
	pick<T>(items: readonly T[]): T;
	/** An element chosen with probability proportional to its weight. */
	weighted<T>(items: readonly (readonly [T, number])[]): T;
	/** A shuffled copy (Fisher-Yates); the input is not modified. */
	shuffle<T>(items: readonly T[]): T[];
	/** k distinct elements in random order (k is clamped to the array length). */
	sample<T>(items: readonly T[], k: number): T[];
	/** An independent generator for a named sub-stream: `fork('members')` is the same for the same seed. */
	fork(label: string): Rng;
}

/** Creates an sfc32 generator seeded from a string. */
export function createRng(seed: string): Rng {
	let [a, b, c, d] = cyrb128(seed);
	const uint32 = (): number => {
		a |= 0;
		b |= 0;
		c |= 0;
		d |= 0;
		const t = (((a + b) | 0) + d) | 0;
		d = (d + 1) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		c = (c + t) | 0;
		return t >>> 0;
	};
	// Warm up: the first outputs of sfc32 are weakly mixed.
	for (let i = 0; i < 15; i++) uint32();
	const next = (): number => uint32() / 4294967296;

	const rng: Rng = {
		seed,
		next,
		uint32,
		int(min, max) {
			if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
				throw new RangeError(`int(${min}, ${max}): bounds must be integers with min <= max`);
			}
			return min + Math.floor(next() * (max - min + 1));
		},
		chance(p) {
			return next() < p;
		},
		pick(items) {
			if (items.length === 0) throw new RangeError('pick() from an empty array');
			return items[Math.floor(next() * items.length)] as (typeof items)[number];
		},
		weighted(items) {
			return weightedPicker(items)(rng);
		},
		shuffle(items) {
			const out = items.slice();
			for (let i = out.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				const tmp = out[i] as (typeof out)[number];
				out[i] = out[j] as (typeof out)[number];
				out[j] = tmp;
			}
			return out;
		},
		sample(items, k) {
			return rng.shuffle(items).slice(0, Math.max(0, Math.min(k, items.length)));
		},
		fork(label) {
			return createRng(`${seed}/${label}`);
		}
	};
	return rng;
}

/**
 * Precomputes cumulative weights once, for hot loops: `const pickKind = weightedPicker([...]); pickKind(rng)`.
 * Weights must be finite and >= 0 with a positive sum.
 */
export function weightedPicker<T>(items: readonly (readonly [T, number])[]): (rng: Rng) => T {
	const values: T[] = [];
	const cumulative: number[] = [];
	let total = 0;
	for (const [value, weight] of items) {
		if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`bad weight ${weight}`);
		total += weight;
		values.push(value);
		cumulative.push(total);
	}
	if (total <= 0) throw new RangeError('weighted pick needs a positive total weight');
	return (rng) => {
		const r = rng.next() * total;
		// Binary search for the first cumulative weight above r.
		let lo = 0;
		let hi = cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if ((cumulative[mid] as number) > r) hi = mid;
			else lo = mid + 1;
		}
		return values[lo] as T;
	};
}
