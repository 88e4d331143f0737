import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	add,
	allocate,
	fen,
	max,
	min,
	neg,
	parseYuan,
	percentOf,
	sub,
	sum,
	times,
	toDecimalString,
	wipeSmallChange,
	type RoundingMode
} from './money';

const code = (c: string) => expect.objectContaining({ name: 'DomainError', code: c });
const amountArb = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });

describe('fen and arithmetic', () => {
	it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('fen(%s) is refused', (n) => {
		expect(() => fen(n)).toThrowError(code('money.notInteger'));
	});

	it('adds, subtracts, negates, sums and compares in fen', () => {
		expect(add(fen(150), fen(250))).toBe(400);
		expect(sub(fen(150), fen(250))).toBe(-100);
		expect(neg(fen(5))).toBe(-5);
		expect(sum([fen(1), fen(2), fen(3)])).toBe(6);
		expect(sum([])).toBe(0);
		expect(min(fen(3), fen(4))).toBe(3);
		expect(max(fen(3), fen(4))).toBe(4);
	});

	it('multiplies only by integer counts', () => {
		expect(times(fen(12900), 3)).toBe(38700);
		expect(() => times(fen(100), 1.5)).toThrowError(code('money.notInteger'));
		expect(() => times(fen(2 ** 40), 2 ** 20)).toThrowError(code('money.notInteger'));
	});
});

describe('allocate', () => {
	it.each([
		[100, [1, 1, 1], [34, 33, 33]],
		[100, [1, 2], [33, 67]],
		[5000, [59900, 12900], [4114, 886]],
		[12, [1234, 5678], [2, 10]],
		[0, [1, 2], [0, 0]],
		[5, [0, 0], [5, 0]],
		[10, [3, 0, 7], [3, 0, 7]],
		[2, [1, 1, 1], [1, 1, 0]],
		[-100, [1, 1, 1], [-34, -33, -33]],
		[0, [], []]
	])('allocate(%i, %j) = %j', (total, weights, expected) => {
		expect(allocate(fen(total), weights)).toEqual(expected);
	});

	it.each([
		[5, [], 'money.allocateNothing'],
		[5, [1, -1], 'money.badWeight'],
		[5, [1, 0.5], 'money.badWeight']
	])('allocate(%i, %j) throws %s', (total, weights, errorCode) => {
		expect(() => allocate(fen(total), weights)).toThrowError(code(errorCode));
	});

	const input = fc.record({
		total: amountArb,
		weights: fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 12 })
	});

	it('parts always sum to the total exactly', () => {
		fc.assert(
			fc.property(input, ({ total, weights }) => {
				expect(sum(allocate(fen(total), weights))).toBe(total);
			})
		);
	});

	it('each part is within 1 fen of its exact proportional share', () => {
		fc.assert(
			fc.property(
				input.filter(({ weights }) => weights.some((w) => w > 0)),
				({ total, weights }) => {
					const weightSum = BigInt(weights.reduce((s, w) => s + w, 0));
					allocate(fen(total), weights).forEach((part, i) => {
						// |part - total * w / W| < 1  <=>  |part * W - total * w| < W, checked exactly in BigInt.
						const diff = BigInt(part) * weightSum - BigInt(total) * BigInt(weights[i] ?? 0);
						expect(diff < 0n ? -diff : diff).toBeLessThan(weightSum);
					});
				}
			)
		);
	});

	it('is deterministic and never gives a zero-weight entry anything (when some weight is positive)', () => {
		fc.assert(
			fc.property(
				input.filter(({ weights }) => weights.some((w) => w > 0)),
				({ total, weights }) => {
					const parts = allocate(fen(total), weights);
					expect(allocate(fen(total), [...weights])).toEqual(parts);
					weights.forEach((w, i) => {
						// === rather than toBe: a negative total yields -0 for zero weights, which is still no money.
						if (w === 0) expect(parts[i] === 0).toBe(true);
					});
				}
			)
		);
	});
});

describe('percentOf', () => {
	it.each([
		[999, 1500, 150],
		[1000, 1500, 150],
		[1, 5000, 1],
		[1, 4999, 0],
		[3, 5000, 2],
		[-999, 1500, -150],
		[12345, 10000, 12345],
		[12345, 0, 0],
		[25800, 1500, 3870]
	])('percentOf(%i, %i bp) = %i', (amount, bp, expected) => {
		expect(percentOf(fen(amount), bp)).toBe(expected);
	});

	it('refuses fractional basis points and overflow', () => {
		expect(() => percentOf(fen(100), 12.5)).toThrowError(code('money.notInteger'));
		expect(() => percentOf(fen(2 ** 50), 10000)).toThrowError(code('money.overflow'));
	});

	it('is the exact share rounded half up, and never more than the amount', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 100_000_000_000 }),
				fc.integer({ min: 0, max: 10000 }),
				(amount, bp) => {
					const result = percentOf(fen(amount), bp);
					expect(result).toBeGreaterThanOrEqual(0);
					expect(result).toBeLessThanOrEqual(amount);
					// result * 10000 lies in (exact - 5000, exact + 5000]: half up.
					const diff = result * 10000 - amount * bp;
					expect(diff).toBeGreaterThan(-5000);
					expect(diff).toBeLessThanOrEqual(5000);
				}
			)
		);
	});
});

describe('wipeSmallChange (抹零)', () => {
	it.each([
		[12345, 'jiao', 12340],
		[12345, 'yuan', 12300],
		[12345, 'none', 12345],
		[12300, 'yuan', 12300],
		[12340, 'jiao', 12340],
		[99, 'yuan', 0],
		[9, 'jiao', 0],
		[0, 'yuan', 0],
		[-55, 'yuan', -55]
	] as const)('wipeSmallChange(%i, %s) = %i', (total, mode, expected) => {
		expect(wipeSmallChange(fen(total), mode)).toBe(expected);
	});

	it('rounds down to a whole unit and wipes less than one unit', () => {
		const units: Record<RoundingMode, number> = { none: 1, jiao: 10, yuan: 100 };
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 1_000_000_000_000 }),
				fc.constantFrom<RoundingMode>('none', 'jiao', 'yuan'),
				(total, mode) => {
					const wiped = wipeSmallChange(fen(total), mode);
					const unit = units[mode];
					expect(wiped % unit).toBe(0);
					expect(total - wiped).toBeGreaterThanOrEqual(0);
					expect(total - wiped).toBeLessThan(unit);
				}
			)
		);
	});
});

describe('parseYuan and toDecimalString', () => {
	it.each([
		['12', 1200],
		['12.5', 1250],
		['12.50', 1250],
		['12.05', 1205],
		['12.', 1200],
		['0', 0],
		['0.01', 1],
		['¥1,200.00', 120000],
		['￥8', 800],
		[' 3.07 ', 307],
		['¥ 99.9', 9990]
	])('parseYuan(%j) = %i fen', (input, expected) => {
		expect(parseYuan(input)).toBe(expected);
	});

	it.each(['1.234', '-3', 'abc', '', ' ', '1e3', '+3', '.5', '12.3.4', '¥', '1 000', '1234567890123'])(
		'parseYuan(%j) is refused',
		(input) => {
			expect(() => parseYuan(input)).toThrowError(code('money.badAmount'));
		}
	);

	it.each([
		[1234, '12.34'],
		[5, '0.05'],
		[0, '0.00'],
		[120000, '1200.00'],
		[-150, '-1.50']
	])('toDecimalString(%i) = %s', (amount, expected) => {
		expect(toDecimalString(fen(amount))).toBe(expected);
	});

	it('toDecimalString round-trips through parseYuan', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 99_999_999_999_999 }), (amount) => {
				expect(parseYuan(toDecimalString(fen(amount)))).toBe(amount);
			})
		);
	});
});
