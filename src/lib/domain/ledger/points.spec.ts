/** Earning, behaviour awards and points as a tender, table-driven. */
import { describe, expect, it } from 'vitest';
import { fen } from '../money';
import type { TenderKind } from '../tender';
import {
	behaviourAward,
	checkPointsTender,
	maxPointsForSale,
	pointsForSale,
	pointsNeededFor,
	pointsTenderValue,
	type BehaviourRules,
	type EarnLine,
	type EarnRules,
	type PointsForSaleInput,
	type PointsRate
} from './points';
import { CN, entry, NOW } from './testHelpers';

const rules: EarnRules = {
	rate: { points: 1, perFen: 100 },
	excludeStoredValue: true,
	excludePoints: true,
	categoryMultipliersBp: { outer: 30000, sale: 5000 },
	newArrivalMultiplierBp: 20000,
	noEarnCategoryIds: ['giftcard']
};
const l = (lineId: string, yuan: number, over: Partial<EarnLine> = {}): EarnLine => ({
	lineId,
	total: fen(Math.round(yuan * 100)),
	categoryId: 'tops',
	isNewArrival: false,
	...over
});
const t = (kind: TenderKind, yuan: number) => ({ kind, amount: fen(Math.round(yuan * 100)) });

type EarnCase = [string, Partial<PointsForSaleInput> & { lines: EarnLine[] }, number, number[]?];
const earnCases: EarnCase[] = [
	['¥1 = 1 point', { lines: [l('a', 129)] }, 129],
	['floors', { lines: [l('a', 129.99)] }, 129],
	[
		'floors once over the order, not per line',
		{ lines: [l('a', 0.5), l('b', 0.5), l('c', 0.5)] },
		1,
		[1, 0, 0]
	],
	['no lines', { lines: [] }, 0, []],
	['level 1.5x', { lines: [l('a', 100)], levelMultiplierBp: 15000 }, 150],
	[
		'max of multipliers, never the product',
		{ lines: [l('a', 100, { isNewArrival: true })], levelMultiplierBp: 15000, planMultiplierBp: 12000 },
		200
	],
	['category multiplier', { lines: [l('a', 100, { categoryId: 'outer' }), l('b', 100)] }, 400, [300, 100]],
	['a multiplier below 1x never reduces', { lines: [l('a', 100, { categoryId: 'sale' })] }, 100],
	[
		'no-earn category beats every multiplier',
		{ lines: [l('a', 100, { categoryId: 'giftcard', isNewArrival: true })], levelMultiplierBp: 20000 },
		0
	],
	[
		'stored value paid is excluded in proportion',
		{ lines: [l('a', 100), l('b', 300)], tenders: [t('storedValue', 100), t('cash', 300)] },
		300,
		[75, 225]
	],
	[
		'points tender paid is excluded',
		{ lines: [l('a', 100)], tenders: [t('points', 20), t('wechat', 80)] },
		80
	],
	['cash change does not matter', { lines: [l('a', 100), l('b', 300)], tenders: [t('cash', 500)] }, 400],
	[
		'a promotion scoped to a category and new arrivals',
		{
			lines: [l('a', 100, { categoryId: 'outer' }), l('b', 100, { isNewArrival: true }), l('c', 100)],
			promoMultipliers: [{ id: 'p', multiplierBp: 50000, categoryIds: ['tops'], newArrivalsOnly: true }]
		},
		900,
		[300, 500, 100]
	]
];

describe('pointsForSale', () => {
	it.each(earnCases)('%s', (_name, input, points, perLine) => {
		const earned = pointsForSale({ tenders: [], rules, ...input });
		expect(earned.points).toBe(points);
		if (perLine) expect(earned.lines.map((x) => x.points)).toEqual(perLine);
		expect(earned.lines.reduce((s, x) => s + x.points, 0)).toBe(points);
	});

	it('stored value earns when the rules say so', () => {
		const input = { lines: [l('a', 100)], tenders: [t('storedValue', 100)] };
		expect(pointsForSale({ ...input, rules }).points).toBe(0);
		expect(pointsForSale({ ...input, rules: { ...rules, excludeStoredValue: false } }).points).toBe(100);
	});

	it('¥10 = 1 point', () => {
		expect(
			pointsForSale({
				lines: [l('a', 99.9)],
				tenders: [],
				rules: { ...rules, rate: { points: 1, perFen: 1000 } }
			}).points
		).toBe(9);
	});

	it.each([
		['zero perFen', { ...rules, rate: { points: 1, perFen: 0 } }, {}],
		['negative level multiplier', rules, { levelMultiplierBp: -1 }],
		['fractional promo multiplier', rules, { promoMultipliers: [{ id: 'p', multiplierBp: 1.5 }] }]
	])('rejects %s', (_name, r, extra) => {
		expect(() => pointsForSale({ lines: [l('a', 1)], tenders: [], rules: r, ...extra })).toThrow(
			/ledger.badPolicy/
		);
	});
});

describe('behaviourAward', () => {
	const behaviour: BehaviourRules = {
		enrolment: 100,
		profileCompleted: 50,
		birthday: 200,
		birthdayWindow: 'day'
	};
	const award = (over: Partial<Parameters<typeof behaviourAward>[0]>) =>
		behaviourAward({
			event: 'birthday',
			memberId: 'm1',
			entries: [],
			rules: behaviour,
			now: NOW,
			utcOffsetMinutes: CN,
			birthday: '1990-11-22',
			...over
		});

	it.each([
		['enrolment, first time', { event: 'enrolment' as const }, { entryId: 'enrolment:m1', points: 100 }],
		['enrolment, already awarded', { event: 'enrolment' as const, entries: [entry('enrolment:m1')] }, null],
		[
			'profile completed',
			{ event: 'profileCompleted' as const },
			{ entryId: 'profileCompleted:m1', points: 50 }
		],
		['birthday today', {}, { entryId: 'bday:m1:2026', points: 200, year: 2026 }],
		['birthday already awarded this year', { entries: [entry('bday:m1:2026')] }, null],
		[
			'awarded last year only',
			{ entries: [entry('bday:m1:2025')] },
			{ entryId: 'bday:m1:2026', points: 200, year: 2026 }
		],
		['not the birthday', { birthday: '1990-11-21' }, null],
		[
			'birthday month window',
			{ birthday: '1990-11-01', rules: { ...behaviour, birthdayWindow: 'month' as const } },
			{ entryId: 'bday:m1:2026', points: 200, year: 2026 }
		],
		['no birthday on file', { birthday: '' }, null],
		[
			'29 Feb celebrated on 28 Feb in a common year',
			{ birthday: '2000-02-29', now: Date.UTC(2027, 1, 28, 4) },
			{ entryId: 'bday:m1:2027', points: 200, year: 2027 }
		],
		['zero points configured', { rules: { ...behaviour, birthday: 0 } }, null]
	])('%s', (_name, over, expected) => {
		expect(award(over)).toEqual(expected);
	});
});

const r100: PointsRate = { points: 100, fen: 100 };
const tenPerFen: PointsRate = { points: 10, fen: 1 };
const tenFenEach: PointsRate = { points: 1, fen: 10 };
const threeForTwo: PointsRate = { points: 3, fen: 2 };

describe('points as a tender', () => {
	it.each([
		[250, r100, 250],
		[25, tenPerFen, 2],
		[3, tenFenEach, 30],
		[100, threeForTwo, 66],
		[0, r100, 0]
	])('%i points at %j are worth %i fen', (points, rate, value) => {
		expect(pointsTenderValue(points, rate)).toBe(value);
	});

	it.each([
		[250, r100, 250],
		[3, tenPerFen, 30],
		[25, tenFenEach, 3],
		[66, threeForTwo, 99]
	])('%i fen need %i points at %j', (amount, rate, points) => {
		expect(pointsNeededFor(fen(amount), rate)).toBe(points);
	});

	it.each([
		['half the order', 10000, 100000, { rate: r100, maxShareBp: 5000 }, undefined, 5000, 5000],
		['the balance is the limit', 10000, 1234, { rate: r100, maxShareBp: 5000 }, undefined, 1234, 1234],
		['in steps of 100', 10000, 1234, { rate: r100, maxShareBp: 5000, step: 100 }, undefined, 1200, 1200],
		['share 0 allows none', 10000, 1000, { rate: r100, maxShareBp: 0 }, undefined, 0, 0],
		['never more than is still due', 10000, 100000, { rate: r100, maxShareBp: 10000 }, 300, 300, 300],
		[
			'10 fen a point: the value under the cap',
			10005,
			100000,
			{ rate: tenFenEach, maxShareBp: 5000 },
			undefined,
			500,
			5000
		],
		['fewest points for the value', 100000, 25, { rate: tenPerFen, maxShareBp: 10000 }, undefined, 20, 2],
		['uneven rate', 1000, 100, { rate: threeForTwo, maxShareBp: 10000 }, undefined, 99, 66],
		['negative balance allows none', 1000, -50, { rate: r100, maxShareBp: 10000 }, undefined, 0, 0]
	])('max: %s', (_name, total, balance, policy, due, points, value) => {
		expect(maxPointsForSale(fen(total), balance, policy, due === undefined ? undefined : fen(due))).toEqual({
			points,
			value
		});
	});

	it('rejects a share above 100 %', () => {
		expect(() => maxPointsForSale(fen(100), 10, { rate: r100, maxShareBp: 10001 })).toThrow(
			/ledger.badPolicy/
		);
	});

	it.each([
		['more than the balance', 600, 500, 'points.insufficient'],
		['more than half the order', 5100, 10000, 'points.overLimit'],
		['not a whole step', 150, 10000, 'points.overLimit'],
		['zero', 0, 10000, 'tender.badAmount']
	])('checkPointsTender refuses %s', (_name, points, balance, code) => {
		expect(() =>
			checkPointsTender(points, fen(10000), balance, { rate: r100, maxShareBp: 5000, step: 100 })
		).toThrow(code);
	});

	it('checkPointsTender returns the value', () => {
		expect(checkPointsTender(3000, fen(10000), 5000, { rate: r100, maxShareBp: 5000, step: 100 })).toBe(3000);
	});
});
