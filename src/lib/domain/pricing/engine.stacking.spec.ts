/** Table-driven engine cases: level-price policy, stacking and priority, time windows, 抹零 and store scenarios. */
import { describe, expect, it } from 'vitest';
import { fen } from '../money';
import { priceCart } from './engine';
import {
	bogo,
	caseOutcome,
	jacket,
	line,
	NOW,
	noRounding,
	pct,
	prices,
	promo,
	spend,
	tee,
	vip,
	y,
	type Case
} from './testHelpers';

const cases: Case[] = [
	// Level price and the stacking policy.
	{
		name: 'VIP: 满300减50 on level prices (¥599 jacket + ¥129 T恤)',
		lines: [jacket(), tee()],
		ctx: vip,
		promotions: [promo('m', spend(30000, 5000))],
		total: 56800,
		expectLines: {
			J: [45863, ['level:vip=10000', 'promo:m=4037']],
			T: [10937, ['level:vip=1000', 'promo:m=963']]
		}
	},
	{
		name: 'VIP, no stacking: level-priced lines get no promotion',
		lines: [jacket(), tee()],
		ctx: vip,
		policy: { promotionsStackWithLevelPrice: false },
		promotions: [promo('m', spend(30000, 5000))],
		total: 61800,
		applied: []
	},
	{
		name: 'VIP, no stacking: lines without a level price still get it',
		lines: [jacket(), tee({ levelPrices: {} })],
		ctx: vip,
		policy: { promotionsStackWithLevelPrice: false },
		promotions: [promo('p', pct(2000))],
		total: 60220
	},
	{
		name: 'no stacking policy but no member: promotions apply',
		lines: [jacket(), tee()],
		policy: { promotionsStackWithLevelPrice: false },
		promotions: [promo('m', spend(30000, 5000))],
		total: 67800
	},
	{
		name: 'no stacking policy: an override is not a level price',
		lines: [jacket({ priceOverride: y(500) })],
		ctx: vip,
		policy: { promotionsStackWithLevelPrice: false },
		promotions: [promo('p', pct(1000))],
		total: 45000
	},
	// Stacking between promotions.
	{
		name: 'stackables compound in priority order',
		lines: [line('A')],
		promotions: [promo('p20', pct(2000), { priority: 1 }), promo('p10', pct(1000), { priority: 2 })],
		total: 7200
	},
	{
		name: 'exclusive first closes its lines',
		lines: [line('A'), line('B')],
		promotions: [
			promo('x', pct(2000), { priority: 1, stacking: 'exclusive', scope: { styleIds: ['st-A'] } }),
			promo('s', pct(1000), { priority: 2 })
		],
		total: 17000,
		expectLines: { A: [8000, ['promo:x=2000']], B: [9000, ['promo:s=1000']] }
	},
	{
		name: 'exclusive later skips already promoted lines',
		lines: [line('A'), line('B')],
		promotions: [
			promo('s', pct(1000), { priority: 1, scope: { styleIds: ['st-A'] } }),
			promo('x', pct(3000), { priority: 2, stacking: 'exclusive' })
		],
		total: 16000,
		expectLines: { A: [9000, ['promo:s=1000']], B: [7000, ['promo:x=3000']] }
	},
	{
		name: 'array order of promotions does not matter',
		lines: [line('A'), line('B')],
		promotions: [
			promo('s', pct(1000), { priority: 2 }),
			promo('x', pct(2000), { priority: 1, stacking: 'exclusive', scope: { styleIds: ['st-A'] } })
		],
		total: 17000
	},
	{
		name: 'equal priority: lower id first',
		lines: [line('A')],
		promotions: [
			promo('b-50', pct(5000), { stacking: 'exclusive' }),
			promo('a-20', pct(2000), { stacking: 'exclusive' })
		],
		total: 8000,
		applied: ['a-20=2000']
	},
	{
		name: 'paid unit of an exclusive BOGO gets no later promotion',
		lines: [line('A', { qty: 2 }), line('B')],
		promotions: [
			promo('x', bogo(1, 1), { priority: 1, stacking: 'exclusive', scope: { styleIds: ['st-A'] } }),
			promo('s', pct(1000), { priority: 2 })
		],
		total: 19000,
		expectLines: { A: [10000, ['promo:x=10000']], B: [9000] }
	},
	{
		name: 'an exclusive that took nothing closes nothing',
		lines: [line('A')],
		promotions: [
			promo('x', spend(100000, 10000), { priority: 1, stacking: 'exclusive' }),
			promo('s', pct(1000), { priority: 2 })
		],
		total: 9000,
		applied: ['s=1000']
	},
	// Time windows, active flag, members only.
	{
		name: 'before startsAt',
		lines: [line('A')],
		promotions: [promo('p', pct(1000), { startsAt: NOW + 1 })],
		total: 10000
	},
	{
		name: 'startsAt is inclusive',
		lines: [line('A')],
		promotions: [promo('p', pct(1000), { startsAt: NOW })],
		total: 9000
	},
	{
		name: 'endsAt is exclusive',
		lines: [line('A')],
		promotions: [promo('p', pct(1000), { endsAt: NOW })],
		total: 10000
	},
	{
		name: 'inside the window',
		lines: [line('A')],
		promotions: [promo('p', pct(1000), { startsAt: NOW - 1, endsAt: NOW + 1 })],
		total: 9000
	},
	{
		name: 'inactive promotion',
		lines: [line('A')],
		promotions: [promo('p', pct(1000), { active: false })],
		total: 10000
	},
	{
		name: 'members-only without a member',
		lines: [line('A')],
		promotions: [promo('p', pct(1000), { membersOnly: true })],
		total: 10000
	},
	{
		name: 'members-only with a member',
		lines: [line('A')],
		ctx: vip,
		promotions: [promo('p', pct(1000), { membersOnly: true })],
		total: 9000
	},
	// 抹零.
	{
		name: '抹零 to the jiao',
		lines: [line('A', { unitPrice: fen(12345) })],
		policy: { rounding: 'jiao' },
		total: 12340,
		rounding: 5,
		expectLines: { A: [12340, ['rounding=5']] }
	},
	{
		name: '抹零 to the yuan',
		lines: [line('A', { unitPrice: fen(12345) })],
		policy: { rounding: 'yuan' },
		total: 12300,
		rounding: 45
	},
	{
		name: '抹零 split across lines by totals',
		lines: prices(1234, 5678),
		policy: { rounding: 'yuan' },
		total: 6900,
		rounding: 12,
		expectLines: { A: [1232, ['rounding=2']], B: [5668, ['rounding=10']] }
	},
	{
		name: '抹零 after promotions',
		lines: [line('A', { unitPrice: fen(12345) })],
		promotions: [promo('p', pct(2000))],
		policy: { rounding: 'yuan' },
		total: 9800,
		rounding: 76
	},
	{
		name: '抹零 on a round total wipes nothing',
		lines: [line('A')],
		policy: { rounding: 'yuan' },
		total: 10000,
		rounding: 0
	},
	{
		name: '抹零 none',
		lines: [line('A', { unitPrice: fen(12345) })],
		policy: { rounding: 'none' },
		total: 12345,
		rounding: 0
	},
	{
		name: '抹零 of a free cart',
		lines: [line('G', { unitPrice: fen(0) })],
		policy: { rounding: 'yuan' },
		total: 0,
		rounding: 0
	},
	// Realistic clothing scenarios.
	{
		name: 'VIP: 新品8折 (exclusive) + 满300减50 + 抹零到元',
		lines: [
			jacket({ isNewArrival: true }),
			tee({ qty: 2 }),
			line('S', { categoryId: 'socks', unitPrice: y(19.9), qty: 3 })
		],
		ctx: vip,
		policy: { rounding: 'yuan' },
		promotions: [
			promo('new80', pct(2000), { priority: 1, stacking: 'exclusive', scope: { newArrivalsOnly: true } }),
			promo('m300', spend(30000, 5000), { priority: 2, scope: { excludeCategoryIds: ['socks'] } })
		],
		// Jacket 499 -> 399.20 (closed); T恤 2 x 119 = 238 < 300: 满减 not reached; socks 59.70.
		total: 69600,
		applied: ['new80=9980'],
		rounding: 90
	},
	{
		name: 'non-member: 买二送一 on T恤 + 满300减50 on everything',
		lines: [tee({ qty: 3 }), jacket()],
		promotions: [
			promo('b', bogo(2, 1), { priority: 1, scope: { categoryIds: ['tops'] } }),
			promo('m', spend(30000, 5000), { priority: 2 })
		],
		// T恤 3 x 129 -> one free = 258; 258 + 599 = 857 >= 300 -> save 50.
		total: 80700,
		applied: ['b=12900', 'm=5000']
	}
];

describe('priceCart: stacking, windows and 抹零', () => {
	it.each(cases)('$name', (c) => {
		const { actual, expected } = caseOutcome(c);
		expect(actual).toEqual(expected);
	});

	it('labels promotion adjustments with the promotion id and name', () => {
		const cart = priceCart(
			[line('A')],
			[promo('p', pct(1000), { name: '店庆9折' })],
			{ now: NOW },
			noRounding
		);
		expect(cart.lines[0]?.adjustments).toEqual([
			{ source: { kind: 'promotion', promotionId: 'p', name: '店庆9折' }, amount: 1000 }
		]);
		expect(cart.applied).toEqual([{ promotionId: 'p', name: '店庆9折', discount: 1000 }]);
	});

	it('prices an empty cart as zero', () => {
		expect(priceCart([], [promo('p', pct(1000))], { now: NOW }, noRounding)).toEqual({
			lines: [],
			applied: [],
			listTotal: 0,
			discountTotal: 0,
			roundingDiscount: 0,
			total: 0
		});
	});
});
