import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StockMovement, StockMovementKind } from './sale';
import { assertStockAllows, negativeStockSkuIds, onHand, onHandBySku, stockWarnings } from './stock';

let n = 0;
const mv = (
	skuId: string,
	branchId: string,
	qty: number,
	kind: StockMovementKind = 'adjust',
	id = `m${++n}`
): StockMovement => ({
	id,
	skuId,
	branchId,
	qty,
	kind,
	refId: 'r',
	deviceId: 'd',
	createdAt: 0
});

describe('onHand', () => {
	const movements = [
		mv('a', 'b1', 10, 'receive'),
		mv('a', 'b1', -2, 'sale'),
		mv('a', 'b1', 1, 'return'),
		mv('a', 'b2', 5, 'receive'),
		mv('b', 'b1', -1, 'sale')
	];

	it.each([
		['a', 'b1', 9],
		['a', 'b2', 5],
		['b', 'b1', -1],
		['c', 'b1', 0]
	])('%s at %s is %i', (sku, branch, expected) => {
		expect(onHand(movements, sku, branch)).toBe(expected);
	});

	it('per SKU, for a branch or for all branches', () => {
		expect(onHandBySku(movements, 'b1')).toEqual(
			new Map([
				['a', 9],
				['b', -1]
			])
		);
		expect(onHandBySku(movements)).toEqual(
			new Map([
				['a', 14],
				['b', -1]
			])
		);
	});

	it('counts a replayed movement once and does not depend on order', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ sku: fc.constantFrom('a', 'b'), qty: fc.integer({ min: -5, max: 5 }) }), {
					maxLength: 30
				}),
				fc.array(fc.nat(), { maxLength: 10 }),
				(raw, dupes) => {
					const list = raw.map((r, i) => mv(r.sku, 'b1', r.qty, 'adjust', `id${i}`));
					const expected = raw.filter((r) => r.sku === 'a').reduce((s, r) => s + r.qty, 0);
					const replayed = [
						...list,
						...dupes.filter((d) => d < list.length).map((d) => list[d] as StockMovement)
					].reverse();
					expect(onHand(replayed, 'a', 'b1')).toBe(expected);
					expect(onHandBySku(replayed, 'b1').get('a') ?? 0).toBe(expected);
				}
			)
		);
	});
});

describe('stockWarnings', () => {
	const stock = new Map([
		['a', 3],
		['b', 0],
		['c', -2]
	]);
	it.each([
		// lines, allowNegative, statuses
		[[{ lineId: 'L1', skuId: 'a', qty: 3 }], false, ['ok']],
		[[{ lineId: 'L1', skuId: 'a', qty: 4 }], true, ['belowZero']],
		[[{ lineId: 'L1', skuId: 'a', qty: 4 }], false, ['refused']],
		[[{ lineId: 'L1', skuId: 'b', qty: 1 }], true, ['belowZero']],
		[[{ lineId: 'L1', skuId: 'c', qty: 1 }], false, ['refused']],
		[[{ lineId: 'L1', skuId: 'unknown', qty: 1 }], true, ['belowZero']],
		// Two lines of the same SKU draw on the same stock.
		[
			[
				{ lineId: 'L1', skuId: 'a', qty: 2 },
				{ lineId: 'L2', skuId: 'a', qty: 2 }
			],
			false,
			['refused', 'refused']
		],
		[
			[
				{ lineId: 'L1', skuId: 'a', qty: 2 },
				{ lineId: 'L2', skuId: 'b', qty: 1 }
			],
			true,
			['ok', 'belowZero']
		]
	])('%j allowNegative=%s -> %j', (lines, allowNegative, statuses) => {
		expect(stockWarnings(lines, stock, { allowNegative }).map((w) => w.status)).toEqual(statuses);
	});

	it('tells the cashier how many there are and how many are wanted', () => {
		const warnings = stockWarnings(
			[
				{ lineId: 'L1', skuId: 'a', qty: 1 },
				{ lineId: 'L2', skuId: 'a', qty: 4 }
			],
			stock,
			{ allowNegative: false }
		);
		expect(() => assertStockAllows(warnings)).toThrowError(
			expect.objectContaining({
				code: 'stock.insufficient',
				params: { skuId: 'a', lineId: 'L1', onHand: 3, requested: 5 }
			})
		);
	});

	it('lets an allowed sale through and lists the SKUs sold below zero once', () => {
		const warnings = stockWarnings(
			[
				{ lineId: 'L1', skuId: 'b', qty: 1 },
				{ lineId: 'L2', skuId: 'b', qty: 1 },
				{ lineId: 'L3', skuId: 'a', qty: 1 }
			],
			stock,
			{ allowNegative: true }
		);
		expect(() => assertStockAllows(warnings)).not.toThrow();
		expect(negativeStockSkuIds(warnings)).toEqual(['b']);
	});
});
