import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	addSku,
	attachMember,
	clear,
	detachMember,
	itemCount,
	newCart,
	removeLine,
	setLineDiscount,
	setPriceOverride,
	setQty,
	toPricingLines,
	type Cart,
	type MergePolicy
} from './cart';
import type { Style, Variant } from './catalog';
import { fen } from './money';

const T0 = 1_700_000_000_000;
const code = (c: string) => expect.objectContaining({ code: c });

function scan(
	cart: Cart,
	skuId: string,
	barcode: string,
	at: number,
	policy: MergePolicy,
	lineId = `L${at}`
) {
	return addSku(cart, skuId, { barcode, now: at, lineId, mergeWindowMs: 400, mergePolicy: policy });
}

describe('addSku', () => {
	it.each([
		// policy, second scan delay, expected outcome, lines, qty of first line, suspected double-fire
		['increment', 100, 'incremented', 1, 2, true],
		['increment', 2000, 'incremented', 1, 2, false],
		['separateLine', 100, 'added', 2, 1, true],
		['separateLine', 2000, 'added', 2, 1, false],
		['ignoreDoubleFire', 100, 'ignoredDoubleFire', 1, 1, true],
		['ignoreDoubleFire', 399, 'ignoredDoubleFire', 1, 1, true],
		['ignoreDoubleFire', 400, 'incremented', 1, 2, false],
		['ignoreDoubleFire', 2000, 'incremented', 1, 2, false]
	] as const)('%s, same barcode after %i ms -> %s', (policy, delay, outcome, lines, qty, suspected) => {
		const first = scan(newCart('c1', T0), 'sku1', '6901234567892', T0, policy);
		expect(first.outcome).toBe('added');
		const second = scan(first.cart, 'sku1', '6901234567892', T0 + delay, policy);
		expect(second.outcome).toBe(outcome);
		expect(second.suspectedDoubleFire).toBe(suspected);
		expect(second.cart.lines).toHaveLength(lines);
		expect(second.cart.lines[0]?.qty).toBe(qty);
	});

	it('drops a triple-fire under ignoreDoubleFire (the window follows the last scan)', () => {
		let cart = newCart('c1', T0);
		const outcomes = [0, 300, 600].map((d) => {
			const r = scan(cart, 'sku1', 'B1', T0 + d, 'ignoreDoubleFire');
			cart = r.cart;
			return r.outcome;
		});
		expect(outcomes).toEqual(['added', 'ignoredDoubleFire', 'ignoredDoubleFire']);
		expect(itemCount(cart)).toBe(1);
	});

	it('an ignored scan leaves lines and updatedAt alone', () => {
		const a = scan(newCart('c1', T0), 'sku1', 'B1', T0, 'ignoreDoubleFire').cart;
		const b = scan(a, 'sku1', 'B1', T0 + 50, 'ignoreDoubleFire').cart;
		expect(b.lines).toBe(a.lines);
		expect(b.updatedAt).toBe(a.updatedAt);
	});

	it('a different barcode inside the window is a real scan', () => {
		const a = scan(newCart('c1', T0), 'sku1', 'B1', T0, 'ignoreDoubleFire').cart;
		const b = scan(a, 'sku2', 'B2', T0 + 50, 'ignoreDoubleFire');
		expect(b.outcome).toBe('added');
		expect(b.suspectedDoubleFire).toBe(false);
	});

	it('a clock step backwards is not taken for a double-fire', () => {
		const a = scan(newCart('c1', T0), 'sku1', 'B1', T0, 'ignoreDoubleFire').cart;
		expect(scan(a, 'sku1', 'B1', T0 - 100, 'ignoreDoubleFire').outcome).toBe('incremented');
	});

	it('does not merge into a discounted or overridden line', () => {
		const a = scan(newCart('c1', T0), 'sku1', 'B1', T0, 'increment', 'L1').cart;
		const discounted = setLineDiscount(a, 'L1', { kind: 'percent', bp: 1000 }, T0 + 1);
		const r = scan(discounted, 'sku1', 'B1', T0 + 5000, 'increment', 'L2');
		expect(r.outcome).toBe('added');
		expect(r.cart.lines.map((l) => [l.lineId, l.qty])).toEqual([
			['L1', 1],
			['L2', 1]
		]);
	});

	it('refuses to increment past 9999', () => {
		const a = scan(newCart('c1', T0), 'sku1', 'B1', T0, 'increment', 'L1').cart;
		const full = setQty(a, 'L1', 9999, T0);
		expect(() => scan(full, 'sku1', 'B1', T0 + 5000, 'increment')).toThrowError(code('cart.badQuantity'));
	});

	it('refuses a line id that is already in the cart', () => {
		const a = scan(newCart('c1', T0), 'sku1', 'B1', T0, 'increment', 'L1').cart;
		expect(() => scan(a, 'sku2', 'B2', T0 + 5000, 'increment', 'L1')).toThrowError(
			code('cart.duplicateLine')
		);
	});

	it('never loses or invents units: item count = number of non-ignored scans', () => {
		const policies: MergePolicy[] = ['increment', 'separateLine', 'ignoreDoubleFire'];
		fc.assert(
			fc.property(
				fc.constantFrom(...policies),
				fc.array(fc.record({ sku: fc.constantFrom('a', 'b', 'c'), gap: fc.integer({ min: 0, max: 1000 }) }), {
					maxLength: 40
				}),
				(policy, scans) => {
					let cart = newCart('c', T0);
					let at = T0;
					let counted = 0;
					scans.forEach((s, i) => {
						at += s.gap;
						const r = scan(cart, s.sku, `BC-${s.sku}`, at, policy, `L${i}`);
						if (r.outcome !== 'ignoredDoubleFire') counted += 1;
						cart = r.cart;
					});
					expect(itemCount(cart)).toBe(counted);
					expect(new Set(cart.lines.map((l) => l.lineId)).size).toBe(cart.lines.length);
				}
			)
		);
	});
});

describe('line edits', () => {
	const base = scan(newCart('c1', T0), 'sku1', 'B1', T0, 'increment', 'L1').cart;

	it.each([1, 2, 9999])('setQty accepts %i', (qty) => {
		expect(setQty(base, 'L1', qty, T0 + 1).lines[0]?.qty).toBe(qty);
	});

	it.each([0, -1, 1.5, 10000, Number.NaN, Infinity])('setQty refuses %s', (qty) => {
		expect(() => setQty(base, 'L1', qty, T0)).toThrowError(code('cart.badQuantity'));
	});

	it.each([
		['setQty', (c: Cart) => setQty(c, 'nope', 1, T0)],
		['removeLine', (c: Cart) => removeLine(c, 'nope', T0)],
		['setLineDiscount', (c: Cart) => setLineDiscount(c, 'nope', undefined, T0)],
		['setPriceOverride', (c: Cart) => setPriceOverride(c, 'nope', undefined, T0)]
	])('%s on an unknown line throws cart.lineNotFound', (_name, edit) => {
		expect(() => edit(base)).toThrowError(code('cart.lineNotFound'));
	});

	it('removes a line', () => {
		expect(removeLine(base, 'L1', T0 + 1).lines).toEqual([]);
	});

	it.each([
		[{ kind: 'percent', bp: 1 }],
		[{ kind: 'percent', bp: 10000 }],
		[{ kind: 'amount', amount: fen(1) }]
	] as const)('accepts discount %j', (d) => {
		expect(setLineDiscount(base, 'L1', d, T0).lines[0]?.manualDiscount).toEqual(d);
	});

	it.each([
		[{ kind: 'percent', bp: 0 }],
		[{ kind: 'percent', bp: 10001 }],
		[{ kind: 'percent', bp: 12.5 }],
		[{ kind: 'amount', amount: 0 }],
		[{ kind: 'amount', amount: -100 }],
		[{ kind: 'amount', amount: 9.9 }],
		[{ kind: 'bogus' }]
	])('refuses discount %j', (d) => {
		expect(() => setLineDiscount(base, 'L1', d as never, T0)).toThrowError(code('cart.badDiscount'));
	});

	it('clears a discount and an override by passing undefined (the key is dropped)', () => {
		const d = setLineDiscount(base, 'L1', { kind: 'percent', bp: 500 }, T0);
		const o = setPriceOverride(d, 'L1', fen(5000), T0);
		const cleared = setPriceOverride(setLineDiscount(o, 'L1', undefined, T0), 'L1', undefined, T0);
		expect(cleared.lines[0]).toEqual(base.lines[0]);
		expect(Object.keys(cleared.lines[0] ?? {})).not.toContain('manualDiscount');
	});

	it.each([0, 1, 99_999_999])('accepts override %i fen', (p) => {
		expect(setPriceOverride(base, 'L1', fen(p), T0).lines[0]?.priceOverride).toBe(p);
	});

	it.each([-1, 0.5, 100_000_000])('refuses override %s', (p) => {
		expect(() => setPriceOverride(base, 'L1', p as never, T0)).toThrowError(code('cart.badPrice'));
	});

	it('does not mutate the input cart', () => {
		const snapshot = structuredClone(base);
		setQty(base, 'L1', 3, T0 + 1);
		setLineDiscount(base, 'L1', { kind: 'percent', bp: 100 }, T0 + 1);
		removeLine(base, 'L1', T0 + 1);
		expect(base).toEqual(snapshot);
	});
});

describe('member and clear', () => {
	const base = scan(newCart('c1', T0), 'sku1', 'B1', T0, 'increment', 'L1').cart;

	it('attaches and detaches a member with their level', () => {
		const withMember = attachMember(base, 'm1', 'gold', T0 + 1);
		expect([withMember.memberId, withMember.memberLevelId]).toEqual(['m1', 'gold']);
		const replaced = attachMember(withMember, 'm2', undefined, T0 + 2);
		expect(replaced.memberLevelId).toBeUndefined();
		const detached = detachMember(withMember, T0 + 3);
		expect('memberId' in detached || 'memberLevelId' in detached).toBe(false);
	});

	it('clear empties lines, member and last scan but keeps identity', () => {
		const cleared = clear(attachMember(base, 'm1', 'gold', T0), T0 + 9);
		expect(cleared).toEqual({ id: 'c1', lines: [], createdAt: T0, updatedAt: T0 + 9 });
	});
});

describe('toPricingLines', () => {
	const style: Style = {
		id: 's1',
		code: 'BL26S-0001',
		name: '纯棉T恤',
		categoryId: 'tee',
		season: '2026SS',
		isNewArrival: true,
		retailPrice: fen(9900),
		levelPrices: { gold: fen(8900) },
		taxRateBp: 1300,
		pinyinInitials: 'cmtx',
		active: true,
		updatedAt: T0
	};
	const variants: Record<string, Variant> = {
		m: { id: 'm', styleId: 's1', barcode: 'B-M', size: 'M', color: '白', active: true, updatedAt: T0 },
		xxl: {
			id: 'xxl',
			styleId: 's1',
			barcode: 'B-XXL',
			size: 'XXL',
			color: '白',
			retailPrice: fen(10900),
			active: true,
			updatedAt: T0
		}
	};
	const lookup = (skuId: string) => (variants[skuId] ? { style, variant: variants[skuId] } : undefined);

	it('maps lines with the variant price winning over the style price', () => {
		let cart = scan(newCart('c', T0), 'm', 'B-M', T0, 'increment', 'L1').cart;
		cart = scan(cart, 'xxl', 'B-XXL', T0 + 1000, 'increment', 'L2').cart;
		cart = setPriceOverride(setQty(cart, 'L2', 2, T0), 'L2', fen(9000), T0);
		cart = setLineDiscount(cart, 'L1', { kind: 'amount', amount: fen(500) }, T0);
		expect(toPricingLines(cart, lookup)).toEqual([
			{
				lineId: 'L1',
				skuId: 'm',
				styleId: 's1',
				categoryId: 'tee',
				isNewArrival: true,
				qty: 1,
				unitPrice: 9900,
				levelPrices: { gold: 8900 },
				manualDiscount: { kind: 'amount', amount: 500 }
			},
			{
				lineId: 'L2',
				skuId: 'xxl',
				styleId: 's1',
				categoryId: 'tee',
				isNewArrival: true,
				qty: 2,
				unitPrice: 10900,
				levelPrices: { gold: 8900 },
				priceOverride: 9000
			}
		]);
	});

	it('names the line whose SKU the catalog no longer knows', () => {
		const cart = scan(newCart('c', T0), 'gone', 'B-X', T0, 'increment', 'L9').cart;
		expect(() => toPricingLines(cart, lookup)).toThrowError(
			expect.objectContaining({ code: 'cart.unknownSku', params: { skuId: 'gone', lineId: 'L9' } })
		);
	});
});
