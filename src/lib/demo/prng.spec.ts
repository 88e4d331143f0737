import { describe, expect, it } from 'vitest';
import { createRng, cyrb128, hashHex, weightedPicker } from './prng';

const take = (seed: string, n: number) => {
	const rng = createRng(seed);
	return Array.from({ length: n }, () => rng.uint32());
};

describe('prng', () => {
	it('gives the same sequence for the same seed', () => {
		expect(take('branchline-demo', 50)).toEqual(take('branchline-demo', 50));
	});

	it('gives different sequences for different seeds', () => {
		expect(take('a', 10)).not.toEqual(take('b', 10));
	});

	it('is pinned: the sequence never changes between versions (seeded data would change)', () => {
		expect(take('branchline-demo', 3)).toEqual([3917979388, 2507552274, 42752142]);
		expect(hashHex('branchline-demo')).toHaveLength(32);
		expect(cyrb128('')).toEqual(cyrb128(''));
	});

	it('next() stays in [0, 1) and int() in its inclusive bounds', () => {
		const rng = createRng('bounds');
		const floats = Array.from({ length: 5000 }, () => rng.next());
		const ints = Array.from({ length: 5000 }, () => rng.int(3, 7));
		expect(floats.every((f) => f >= 0 && f < 1)).toBe(true);
		const seen = new Set(ints);
		expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
		expect(() => rng.int(2, 1)).toThrow(RangeError);
		expect(() => rng.int(0.5, 2)).toThrow(RangeError);
	});

	it('pick, weighted, shuffle and sample are deterministic and well-formed', () => {
		const run = (seed: string) => {
			const rng = createRng(seed);
			return {
				pick: Array.from({ length: 20 }, () => rng.pick(['a', 'b', 'c'])),
				weighted: Array.from({ length: 20 }, () =>
					rng.weighted([
						['x', 1],
						['y', 0],
						['z', 3]
					] as const)
				),
				shuffle: rng.shuffle([1, 2, 3, 4, 5, 6, 7, 8]),
				sample: rng.sample([1, 2, 3, 4, 5], 3)
			};
		};
		const first = run('helpers');
		expect(run('helpers')).toEqual(first);
		expect(first.weighted).not.toContain('y');
		expect([...first.shuffle].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(new Set(first.sample).size).toBe(3);
		expect(() => createRng('x').pick([])).toThrow(RangeError);
	});

	it('weighted picks follow the weights', () => {
		const rng = createRng('weights');
		const pickKind = weightedPicker([
			['rare', 1],
			['common', 9]
		] as const);
		let common = 0;
		for (let i = 0; i < 10000; i++) if (pickKind(rng) === 'common') common++;
		expect(common).toBeGreaterThan(8700);
		expect(common).toBeLessThan(9300);
		expect(() => weightedPicker([['a', 0]])).toThrow(RangeError);
	});

	it('forks are independent named sub-streams, stable per seed and label', () => {
		const a = createRng('root').fork('members').uint32();
		expect(createRng('root').fork('members').uint32()).toBe(a);
		expect(createRng('root').fork('styles').uint32()).not.toBe(a);
		expect(createRng('root').fork('members').seed).toBe('root/members');
	});
});
