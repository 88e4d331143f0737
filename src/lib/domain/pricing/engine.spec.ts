/** Table-driven engine cases: base prices, overrides, manual discounts and each promotion rule with its scopes. */
import { describe, expect, it } from 'vitest';
import { fen } from '../money';
import {
	bogo,
	caseOutcome,
	jacket,
	line,
	nth,
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
	// Base prices, overrides, manual discounts.
	{ name: 'single line, no promotions', lines: [tee()], total: 12900, expectLines: { T: [12900, []] } },
	{ name: 'quantity multiplies the list price', lines: [tee({ qty: 3 })], total: 38700 },
	{
		name: 'zero-price gift line',
		lines: [line('G', { unitPrice: fen(0) })],
		total: 0,
		expectLines: { G: [0, []] }
	},
	{
		name: 'member level price',
		lines: [jacket()],
		ctx: vip,
		total: 49900,
		expectLines: { J: [49900, ['level:vip=10000']] }
	},
	{
		name: 'level price above retail is ignored',
		lines: [jacket({ levelPrices: { vip: y(650) } })],
		ctx: vip,
		total: 59900,
		expectLines: { J: [59900, []] }
	},
	{ name: 'no member: no level price', lines: [jacket()], total: 59900 },
	{
		name: 'member of a level without a price pays retail',
		lines: [jacket()],
		ctx: { memberLevelId: 'gold' },
		total: 59900
	},
	{
		name: 'level id "constructor" does not read the prototype',
		lines: [jacket()],
		ctx: { memberLevelId: 'constructor' },
		total: 59900
	},
	{
		name: 'price override x qty',
		lines: [jacket({ qty: 2, priceOverride: y(450) })],
		total: 90000,
		expectLines: { J: [90000, ['override=29800']] }
	},
	{
		name: 'override equal to list records nothing',
		lines: [jacket({ priceOverride: y(599) })],
		total: 59900,
		expectLines: { J: [59900, []] }
	},
	{
		name: 'override wins over the level price',
		lines: [jacket({ priceOverride: y(520) })],
		ctx: vip,
		total: 52000,
		expectLines: { J: [52000, ['override=7900']] }
	},
	{
		name: 'manual percent on the line base total',
		lines: [tee({ qty: 2, manualDiscount: { kind: 'percent', bp: 1500 } })],
		total: 21930,
		expectLines: { T: [21930, ['manual=3870']] }
	},
	{
		name: 'manual percent rounds half up',
		lines: [line('A', { unitPrice: fen(999), manualDiscount: { kind: 'percent', bp: 1500 } })],
		total: 849
	},
	{ name: 'manual amount', lines: [tee({ manualDiscount: { kind: 'amount', amount: y(9) } })], total: 12000 },
	{
		name: 'manual amount equal to the base makes the line free',
		lines: [tee({ manualDiscount: { kind: 'amount', amount: y(129) } })],
		total: 0
	},
	{
		name: 'manual percent applies after the level price',
		lines: [jacket({ manualDiscount: { kind: 'percent', bp: 1000 } })],
		ctx: vip,
		total: 44910,
		expectLines: { J: [44910, ['level:vip=10000', 'manual=4990']] }
	},
	// percentOff and scopes.
	{
		name: '20% off everything',
		lines: [jacket(), tee()],
		promotions: [promo('p20', pct(2000))],
		total: 58240,
		expectLines: { J: [47920, ['promo:p20=11980']], T: [10320, ['promo:p20=2580']] },
		applied: ['p20=14560']
	},
	{
		name: 'scope: categoryIds',
		lines: [jacket(), tee()],
		promotions: [promo('p', pct(2000), { scope: { categoryIds: ['tops'] } })],
		total: 70220
	},
	{
		name: 'scope: styleIds',
		lines: [jacket(), tee()],
		promotions: [promo('p', pct(2000), { scope: { styleIds: ['st-J'] } })],
		total: 60820
	},
	{
		name: 'scope: newArrivalsOnly',
		lines: [jacket({ isNewArrival: true }), tee()],
		promotions: [promo('p', pct(2000), { scope: { newArrivalsOnly: true } })],
		total: 60820
	},
	{
		name: 'scope: excludeCategoryIds',
		lines: [jacket(), tee()],
		promotions: [promo('p', pct(2000), { scope: { excludeCategoryIds: ['outer'] } })],
		total: 70220
	},
	{
		name: 'scope: excludeSkuIds',
		lines: [jacket(), tee()],
		promotions: [promo('p', pct(2000), { scope: { excludeSkuIds: ['sku-T'] } })],
		total: 60820
	},
	{
		name: 'scope: empty include lists mean everything',
		lines: [jacket(), tee()],
		promotions: [promo('p', pct(2000), { scope: { categoryIds: [], styleIds: [] } })],
		total: 58240
	},
	{
		name: 'percentOff rounds half up per line',
		lines: [line('A', { unitPrice: fen(333), qty: 3 })],
		promotions: [promo('p', pct(1500))],
		total: 849
	},
	{ name: '100% off stops at zero', lines: [tee()], promotions: [promo('p', pct(10000))], total: 0 },
	// 满减.
	{
		name: '满300减50 not reached',
		lines: [line('A', { unitPrice: y(299) })],
		promotions: [promo('m', spend(30000, 5000))],
		total: 29900,
		applied: []
	},
	{
		name: '满300减50 at exactly the threshold',
		lines: [line('A', { unitPrice: y(300) })],
		promotions: [promo('m', spend(30000, 5000))],
		total: 25000
	},
	{
		name: '满300减50 split by line totals',
		lines: [jacket(), tee()],
		promotions: [promo('m', spend(30000, 5000))],
		total: 67800,
		expectLines: { J: [55786, ['promo:m=4114']], T: [12014, ['promo:m=886']] },
		applied: ['m=5000']
	},
	{
		name: '满300减50 without repeat saves once',
		lines: [jacket(), tee()],
		promotions: [promo('m', spend(30000, 5000))],
		total: 67800
	},
	{
		name: '每满300减50 with repeat',
		lines: [jacket(), tee()],
		promotions: [promo('m', spend(30000, 5000, true))],
		total: 62800
	},
	{
		name: '满减 never saves more than the eligible subtotal',
		lines: [tee()],
		promotions: [promo('m', spend(10000, 15000))],
		total: 0
	},
	{
		name: '满减 threshold counts only eligible lines',
		lines: [jacket(), tee()],
		promotions: [promo('m', spend(30000, 5000), { scope: { categoryIds: ['tops'] } })],
		total: 72800
	},
	{
		name: '满减 uses totals left by earlier promotions',
		lines: [jacket(), tee()],
		promotions: [promo('p', pct(2000), { priority: 1 }), promo('m', spend(30000, 5000), { priority: 2 })],
		total: 53240,
		applied: ['p=14560', 'm=5000']
	},
	// Buy N get M.
	{
		name: 'buy 2 get 1: cheapest of three is free',
		lines: prices(30000, 20000, 10000),
		promotions: [promo('b', bogo(2, 1))],
		total: 50000,
		expectLines: { C: [0, ['promo:b=10000']] }
	},
	{
		name: 'buy 1 get 1 within one line',
		lines: [tee({ qty: 2 })],
		promotions: [promo('b', bogo(1, 1))],
		total: 12900
	},
	{
		name: 'buy 2 get 1 on five units: leftover cheapest pay',
		lines: prices(500, 400, 300, 200, 100),
		promotions: [promo('b', bogo(2, 1))],
		total: 1200,
		expectLines: { C: [0], D: [200], E: [100] }
	},
	{
		name: 'buy 1 get 1 on four units: groups from the top',
		lines: prices(100, 90, 20, 10),
		promotions: [promo('b', bogo(1, 1))],
		total: 120,
		expectLines: { B: [0], D: [0] }
	},
	{
		name: 'buy 1 get 1, equal prices: lower skuId is free',
		lines: [line('B'), line('A')],
		promotions: [promo('b', bogo(1, 1))],
		total: 10000,
		expectLines: { A: [0], B: [10000] }
	},
	{
		name: 'buy 1 get 1: a free gift does not take the free slot',
		lines: [line('A', { qty: 2 }), line('G', { unitPrice: fen(0) })],
		promotions: [promo('b', bogo(1, 1))],
		total: 10000
	},
	{
		name: 'buy 2 get 1: incomplete group gets nothing',
		lines: prices(100, 100),
		promotions: [promo('b', bogo(2, 1))],
		total: 200,
		applied: []
	},
	{
		name: 'buy 1 get 1 in scope only',
		lines: [jacket(), tee(), tee({ lineId: 'T2', skuId: 'sku-T2' })],
		promotions: [promo('b', bogo(1, 1), { scope: { categoryIds: ['tops'] } })],
		total: 72800
	},
	// Nth item.
	{
		name: '第二件半价',
		lines: prices(20000, 10000),
		promotions: [promo('n', nth(2, 5000))],
		total: 25000,
		expectLines: { B: [5000, ['promo:n=5000']] }
	},
	{
		name: '第二件半价 on three units',
		lines: prices(30000, 20000, 10000),
		promotions: [promo('n', nth(2, 5000))],
		total: 50000,
		expectLines: { B: [10000] }
	},
	{
		name: 'nth item rounds half up per unit',
		lines: [line('A', { unitPrice: fen(999), qty: 2 })],
		promotions: [promo('n', nth(2, 5000))],
		total: 1498
	},
	{
		name: 'nth item on uneven units: the cheaper unit',
		lines: [
			line('A', { unitPrice: fen(1000), qty: 2, manualDiscount: { kind: 'amount', amount: fen(999) } })
		],
		promotions: [promo('n', nth(2, 10000))],
		total: 501
	},
	{
		name: '0% off applies nothing and is not listed',
		lines: [line('A')],
		promotions: [promo('p', pct(0))],
		total: 10000,
		applied: []
	},
	{
		name: '每满200减20 on a ¥599 jacket saves twice',
		lines: [jacket()],
		promotions: [promo('m', spend(20000, 2000, true))],
		total: 55900
	},
	{
		name: 'buy 3 get 2: the two cheapest of a group of five',
		lines: prices(500, 400, 300, 200, 100),
		promotions: [promo('b', bogo(3, 2))],
		total: 1200,
		expectLines: { C: [300], D: [0], E: [0] }
	},
	{
		name: '第三件免费 across lines: cheapest of each group of three',
		lines: [line('A', { qty: 2 }), line('B', { qty: 4, unitPrice: y(50) })],
		promotions: [promo('n', nth(3, 10000))],
		total: 30000,
		expectLines: { A: [20000, []], B: [10000, ['promo:n=10000']] }
	}
];

describe('priceCart: prices and rules', () => {
	it.each(cases)('$name', (c) => {
		const { actual, expected } = caseOutcome(c);
		expect(actual).toEqual(expected);
	});
});
