/** Gift stock folds and redemption checks. */
import { describe, expect, it } from 'vitest';
import { fen } from '../money';
import {
	giftOnHand,
	giftOnHandByGift,
	isLowStock,
	lowStockGifts,
	redemptionMovement,
	validateGiftMovement,
	validateRedemption,
	type Gift,
	type GiftStockMovement
} from './gifts';

const mug: Gift = {
	id: 'mug',
	name: '保温杯',
	pointsPrice: 800,
	cashPrice: fen(0),
	lowStockThreshold: 3,
	active: true
};
const bag: Gift = {
	id: 'bag',
	name: '帆布袋',
	pointsPrice: 300,
	cashPrice: fen(990),
	lowStockThreshold: 5,
	active: true
};

const mv = (id: string, giftId: string, branchId: string, qty: number, kind: GiftStockMovement['kind']) => ({
	id,
	giftId,
	branchId,
	qty,
	kind,
	refId: 'ref',
	deviceId: 'd1',
	createdAt: 1
});

const movements: GiftStockMovement[] = [
	mv('1', 'mug', 'B1', 10, 'receive'),
	mv('2', 'mug', 'B1', -2, 'redeem'),
	mv('2', 'mug', 'B1', -2, 'redeem'), // replayed
	mv('3', 'mug', 'B2', 4, 'receive'),
	mv('4', 'bag', 'B1', 6, 'receive'),
	mv('5', 'bag', 'B1', -1, 'adjust')
];

describe('gift stock', () => {
	it('on-hand folds movements, counting a replayed one once', () => {
		expect(giftOnHand(movements, 'mug', 'B1')).toBe(8);
		expect(giftOnHand(movements, 'mug', 'B2')).toBe(4);
		expect(giftOnHand(movements, 'mug', 'B3')).toBe(0);
		expect(giftOnHandByGift(movements, 'B1')).toEqual(
			new Map([
				['mug', 8],
				['bag', 5]
			])
		);
		expect(giftOnHandByGift(movements).get('mug')).toBe(12);
	});

	it('low stock at or below the threshold; inactive gifts are not reported', () => {
		expect(isLowStock(mug, 3)).toBe(true);
		expect(isLowStock(mug, 4)).toBe(false);
		const onHand = new Map([['mug', 8]]);
		expect(lowStockGifts([mug, bag, { ...bag, id: 'old', active: false }], onHand).map((g) => g.id)).toEqual([
			'bag'
		]);
	});

	it.each([
		['receive of a negative qty', mv('x', 'mug', 'B1', -1, 'receive'), 'qty'],
		['redeem of a positive qty', mv('x', 'mug', 'B1', 1, 'redeem'), 'qty'],
		['zero', mv('x', 'mug', 'B1', 0, 'adjust'), 'qty'],
		['fractional', mv('x', 'mug', 'B1', 0.5, 'adjust'), 'qty'],
		['unknown kind', mv('x', 'mug', 'B1', 1, 'lost' as never), 'kind'],
		['no gift', mv('x', '', 'B1', 1, 'receive'), 'giftId']
	])('rejects a movement: %s', (_name, m, field) => {
		expect(() => validateGiftMovement(m)).toThrow(
			expect.objectContaining({ params: expect.objectContaining({ field }) })
		);
	});

	it('the redemption movement takes the gift out', () => {
		expect(
			redemptionMovement({
				id: 'm',
				giftId: 'mug',
				branchId: 'B1',
				qty: 2,
				redemptionId: 'r',
				deviceId: 'd',
				now: 5
			})
		).toMatchObject({ qty: -2, kind: 'redeem', refId: 'r' });
	});
});

describe('validateRedemption', () => {
	it.each([
		['one mug', mug, 8, 1000, 1, { points: 800, cash: 0 }],
		['two bags, points plus cash', bag, 5, 600, 2, { points: 600, cash: 1980 }]
	])('%s', (_name, gift, onHand, balance, qty, price) => {
		expect(validateRedemption(gift, onHand, balance, qty)).toEqual(price);
	});

	it.each([
		['inactive', { ...mug, active: false }, 8, 1000, 1, 'gift.inactive'],
		['zero qty', mug, 8, 1000, 0, 'cart.badQuantity'],
		['out of stock', mug, 1, 5000, 2, 'gift.outOfStock'],
		['no stock (negative after a race)', mug, -1, 5000, 1, 'gift.outOfStock'],
		['not enough points', mug, 8, 1599, 2, 'points.insufficient'],
		['a gift without a points price', { ...mug, pointsPrice: 0 }, 8, 1000, 1, 'ledger.badPolicy']
	])('refuses: %s', (_name, gift, onHand, balance, qty, code) => {
		expect(() => validateRedemption(gift, onHand, balance, qty)).toThrow(code);
	});

	it('reports numbers for the message', () => {
		expect(() => validateRedemption(mug, 1, 5000, 2)).toThrow(
			expect.objectContaining({ params: { name: '保温杯', onHand: 1, qty: 2 } })
		);
	});
});
