/** The engine refuses invalid carts and promotions with a DomainError code, and prices nothing. */
import { describe, expect, it } from 'vitest';
import { fen, type Fen } from '../money';
import { priceCart } from './engine';
import { bogo, jacket, line, NOW, noRounding, nth, pct, promo, spend, vip, y } from './testHelpers';
import type { PricingLine, Promotion } from './types';

type ErrorCase = [name: string, lines: PricingLine[], promotions: Promotion[], code: string];
const bad = (v: number) => v as Fen;
const errorCases: ErrorCase[] = [
	['qty 0', [line('A', { qty: 0 })], [], 'cart.badQuantity'],
	['qty negative', [line('A', { qty: -1 })], [], 'cart.badQuantity'],
	['qty fractional', [line('A', { qty: 1.5 })], [], 'cart.badQuantity'],
	['qty NaN', [line('A', { qty: Number.NaN })], [], 'cart.badQuantity'],
	['negative unit price', [line('A', { unitPrice: bad(-1) })], [], 'cart.badPrice'],
	['fractional unit price', [line('A', { unitPrice: bad(12.5) })], [], 'cart.badPrice'],
	['negative level price', [line('A', { levelPrices: { vip: bad(-5) } })], [], 'cart.badPrice'],
	['override above list', [line('A', { priceOverride: fen(10001) })], [], 'cart.badPrice'],
	['negative override', [line('A', { priceOverride: bad(-1) })], [], 'cart.badPrice'],
	[
		'manual percent > 100%',
		[line('A', { manualDiscount: { kind: 'percent', bp: 10001 } })],
		[],
		'cart.badDiscount'
	],
	[
		'manual percent negative',
		[line('A', { manualDiscount: { kind: 'percent', bp: -1 } })],
		[],
		'cart.badDiscount'
	],
	[
		'manual percent fractional bp',
		[line('A', { manualDiscount: { kind: 'percent', bp: 0.5 } })],
		[],
		'cart.badDiscount'
	],
	[
		'manual amount above base',
		[line('A', { manualDiscount: { kind: 'amount', amount: fen(10001) } })],
		[],
		'cart.badDiscount'
	],
	[
		'manual amount negative',
		[line('A', { manualDiscount: { kind: 'amount', amount: bad(-1) } })],
		[],
		'cart.badDiscount'
	],
	['duplicate lineId', [line('A'), line('A', { skuId: 'other' })], [], 'cart.duplicateLine'],
	['percentOff bp > 10000', [line('A')], [promo('p', pct(10001))], 'promotion.invalid'],
	['spendSave threshold 0', [line('A')], [promo('p', spend(0, 100))], 'promotion.invalid'],
	['spendSave negative save', [line('A')], [promo('p', spend(100, -1))], 'promotion.invalid'],
	['buyNGetM buy 0', [line('A')], [promo('p', bogo(0, 1))], 'promotion.invalid'],
	['buyNGetM get 1.5', [line('A')], [promo('p', bogo(1, 1.5))], 'promotion.invalid'],
	['nthItem n 0', [line('A')], [promo('p', nth(0, 5000))], 'promotion.invalid'],
	['nthItem bp negative', [line('A')], [promo('p', nth(2, -1))], 'promotion.invalid'],
	[
		'malformed promotion outside its window',
		[line('A')],
		[promo('p', pct(-1), { endsAt: NOW })],
		'promotion.invalid'
	],
	['duplicate promotion id', [line('A')], [promo('p', pct(1)), promo('p', pct(2))], 'promotion.invalid'],
	['NaN priority', [line('A')], [promo('p', pct(1), { priority: Number.NaN })], 'promotion.invalid']
];

describe('priceCart rejects invalid input', () => {
	it.each(errorCases)('%s -> %s', (_name, lines, promotions, code) => {
		expect(() => priceCart(lines, promotions, { now: NOW }, noRounding)).toThrowError(
			expect.objectContaining({ name: 'DomainError', code })
		);
	});

	it.each([
		['cart.badPrice', line('A', { unitPrice: bad(-1) }), { lineId: 'A', field: 'unitPrice', value: '-0.01' }],
		['cart.badPrice', line('A', { unitPrice: bad(1.5) }), { lineId: 'A', field: 'unitPrice', value: '1.5' }],
		[
			'cart.badDiscount',
			line('A', { manualDiscount: { kind: 'percent', bp: 10001 } }),
			{ lineId: 'A', value: '100.01%' }
		],
		['cart.badQuantity', line('A', { qty: 0 }), { lineId: 'A', value: '0', max: Number.MAX_SAFE_INTEGER }]
	])('%s carries cashier-readable params', (errorCode, l, params) => {
		expect(() => priceCart([l], [], { now: NOW }, noRounding)).toThrowError(
			expect.objectContaining({ code: errorCode, params })
		);
	});

	it('ignores an inactive draft promotion even when malformed', () => {
		const draft = promo('draft', spend(0, 100), { active: false });
		expect(priceCart([line('A')], [draft, promo('draft', pct(1000))], { now: NOW }, noRounding).total).toBe(
			9000
		);
	});

	it('checks a manual amount against the level price, not the list price', () => {
		const l = jacket({ manualDiscount: { kind: 'amount', amount: y(550) } });
		expect(() => priceCart([l], [], { now: NOW, ...vip }, noRounding)).toThrowError(
			expect.objectContaining({
				code: 'cart.badDiscount',
				params: { lineId: 'J', value: '550.00', max: '499.00' }
			})
		);
		expect(priceCart([l], [], { now: NOW }, noRounding).total).toBe(4900);
	});
});
