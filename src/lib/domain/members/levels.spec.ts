/** Table-driven level cases: qualification, upgrades at a sale, scheduled downgrades after grace, config errors. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../errors';
import { fen, type Fen } from '../money';
import {
	entryLevel,
	evaluateLevel,
	levelBenefits,
	qualifiedLevel,
	spendInWindow,
	validateLevelRules,
	windowStart,
	type LevelEvaluation,
	type LevelEvaluationInput
} from './levels';
import type { LevelPolicy, LevelRule } from './types';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 4);
const y = (yuan: number): Fen => fen(Math.round(yuan * 100));

function rule(id: string, rank: number, threshold: number, over: Partial<LevelRule> = {}): LevelRule {
	return {
		id,
		name: id,
		rank,
		qualifyBy: 'spend',
		threshold,
		discountBp: 0,
		pointsMultiplierBp: 10000,
		birthdayBonusPoints: 0,
		perks: [],
		...over
	};
}

// 普通 0, 银卡 ¥1,000, 金卡 ¥5,000, 钻石 ¥20,000 in the last 365 days; 30 days' grace.
const RULES = [
	rule('gold', 2, y(5000), { discountBp: 1000 }),
	rule('normal', 0, 0),
	rule('silver', 1, y(1000), { discountBp: 500 }),
	rule('diamond', 3, y(20000), { discountBp: 1500 })
];
const POLICY: LevelPolicy = { windowDays: 365, graceDays: 30 };

function codeOf(fn: () => unknown): string | undefined {
	try {
		fn();
		return undefined;
	} catch (e) {
		if (e instanceof DomainError) return e.code;
		throw e;
	}
}

describe('evaluateLevel', () => {
	type Case = {
		name: string;
		current: string;
		/** Days since the level was set. */
		heldDays?: number;
		spend: number;
		points?: number;
		mode: LevelEvaluationInput['mode'];
		rules?: LevelRule[];
		expect: [string, LevelEvaluation['direction']];
	};
	const cases: Case[] = [
		{
			name: 'new member stays at entry',
			current: 'normal',
			spend: 0,
			mode: 'atSale',
			expect: ['normal', 'none']
		},
		{
			name: 'just below a threshold',
			current: 'normal',
			spend: 999.99,
			mode: 'atSale',
			expect: ['normal', 'none']
		},
		{
			name: 'the sale that reaches ¥1,000',
			current: 'normal',
			spend: 1000,
			mode: 'atSale',
			expect: ['silver', 'up']
		},
		{
			name: 'a big sale skips levels',
			current: 'normal',
			spend: 25000,
			mode: 'atSale',
			expect: ['diamond', 'up']
		},
		{
			name: 'atSale never downgrades',
			current: 'gold',
			heldDays: 400,
			spend: 0,
			mode: 'atSale',
			expect: ['gold', 'none']
		},
		{
			name: 'scheduled: still qualifies',
			current: 'gold',
			heldDays: 400,
			spend: 6000,
			mode: 'scheduled',
			expect: ['gold', 'none']
		},
		{
			name: 'scheduled also upgrades',
			current: 'silver',
			heldDays: 1,
			spend: 5000,
			mode: 'scheduled',
			expect: ['gold', 'up']
		},
		{
			name: 'scheduled: below, inside grace',
			current: 'gold',
			heldDays: 29,
			spend: 1200,
			mode: 'scheduled',
			expect: ['gold', 'none']
		},
		{
			name: 'scheduled: below, grace over exactly',
			current: 'gold',
			heldDays: 30,
			spend: 1200,
			mode: 'scheduled',
			expect: ['silver', 'down']
		},
		{
			name: 'scheduled: several steps down',
			current: 'diamond',
			heldDays: 400,
			spend: 10,
			mode: 'scheduled',
			expect: ['normal', 'down']
		},
		{
			name: 'returns can push spend to zero',
			current: 'silver',
			heldDays: 90,
			spend: 0,
			mode: 'scheduled',
			expect: ['normal', 'down']
		},
		{
			name: 'never below entry',
			current: 'normal',
			heldDays: 999,
			spend: 0,
			mode: 'scheduled',
			expect: ['normal', 'none']
		},
		{
			name: 'deleted level: moved to the qualified one',
			current: 'platinum',
			spend: 1500,
			mode: 'atSale',
			expect: ['silver', 'up']
		},
		{
			name: 'deleted level, scheduled',
			current: 'platinum',
			spend: 0,
			mode: 'scheduled',
			expect: ['normal', 'up']
		},
		{
			name: 'points-qualified level',
			current: 'normal',
			spend: 0,
			points: 3000,
			mode: 'atSale',
			rules: [rule('normal', 0, 0), rule('star', 1, 3000, { qualifyBy: 'points' })],
			expect: ['star', 'up']
		},
		{
			name: 'mixed rules: highest met wins',
			current: 'normal',
			spend: y(6000),
			points: 100,
			mode: 'atSale',
			rules: [rule('normal', 0, 0), rule('star', 1, 3000, { qualifyBy: 'points' }), rule('gold', 2, y(5000))],
			expect: ['gold', 'up']
		}
	];
	it.each(cases)('$name', (c) => {
		const levelSince = NOW - (c.heldDays ?? 0) * DAY;
		const result = evaluateLevel({
			rules: c.rules ?? RULES,
			policy: POLICY,
			current: { levelId: c.current, levelSince },
			spendInWindow: c.rules ? fen(c.spend) : y(c.spend),
			pointsInWindow: c.points ?? 0,
			now: NOW,
			mode: c.mode
		});
		const [levelId, direction] = c.expect;
		expect(result).toEqual({
			levelId,
			changed: direction !== 'none',
			direction,
			levelSince: direction === 'none' ? levelSince : NOW
		});
	});

	it('a level set in the future (another till’s clock) is not downgraded', () => {
		const r = evaluateLevel({
			rules: RULES,
			policy: POLICY,
			current: { levelId: 'gold', levelSince: NOW + DAY },
			spendInWindow: y(0),
			pointsInWindow: 0,
			now: NOW,
			mode: 'scheduled'
		});
		expect(r.changed).toBe(false);
	});

	it('property: atSale never goes down; the result is never below entry or above qualified', () => {
		const ids = RULES.map((r) => r.id);
		const rank = (id: string) => RULES.find((r) => r.id === id)?.rank ?? -1;
		fc.assert(
			fc.property(
				fc.constantFrom(...ids),
				fc.integer({ min: 0, max: 3_000_000 }),
				fc.integer({ min: 0, max: 100 }),
				fc.constantFrom('atSale' as const, 'scheduled' as const),
				(current, spend, heldDays, mode) => {
					const r = evaluateLevel({
						rules: RULES,
						policy: POLICY,
						current: { levelId: current, levelSince: NOW - heldDays * DAY },
						spendInWindow: fen(spend),
						pointsInWindow: 0,
						now: NOW,
						mode
					});
					const q = qualifiedLevel(RULES, fen(spend), 0).rank;
					if (mode === 'atSale') expect(rank(r.levelId)).toBeGreaterThanOrEqual(rank(current));
					expect(rank(r.levelId)).toBeGreaterThanOrEqual(Math.min(rank(current), q));
					if (r.direction === 'up') expect(rank(r.levelId)).toBe(q);
					expect(r.changed).toBe(r.levelId !== current);
				}
			)
		);
	});
});

describe('level configuration', () => {
	it('entry level is the lowest rank', () => expect(entryLevel(RULES).id).toBe('normal'));
	const bad: [string, LevelRule[], string][] = [
		['no rules', [], 'rules'],
		['entry with a threshold', [rule('a', 0, 100)], 'threshold'],
		['duplicate id', [rule('a', 0, 0), rule('a', 1, 5)], 'duplicateId'],
		['duplicate rank', [rule('a', 0, 0), rule('b', 0, 5)], 'rank'],
		['higher rank easier to reach', [rule('a', 0, 0), rule('b', 1, 500), rule('c', 2, 400)], 'threshold'],
		['second level free', [rule('a', 0, 0), rule('b', 1, 0)], 'threshold'],
		['discount over 100 %', [rule('a', 0, 0, { discountBp: 10001 })], 'discountBp'],
		['fractional threshold', [rule('a', 0, 0), rule('b', 1, 1.5)], 'threshold'],
		['bad qualifyBy', [rule('a', 0, 0, { qualifyBy: 'visits' as never })], 'qualifyBy'],
		['negative birthday bonus', [rule('a', 0, 0, { birthdayBonusPoints: -1 })], 'birthdayBonusPoints']
	];
	it.each(bad)('%s -> level.invalid %s', (_, rules, field) => {
		try {
			validateLevelRules(rules);
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(DomainError);
			expect((e as DomainError).code).toBe('level.invalid');
			expect((e as DomainError).params.field).toBe(field);
		}
	});
	it('points and spend thresholds are checked separately', () => {
		expect(() =>
			validateLevelRules([rule('a', 0, 0), rule('b', 1, 50000), rule('c', 2, 3000, { qualifyBy: 'points' })])
		).not.toThrow();
	});
	it.each([
		[{ windowDays: 0, graceDays: 0 }],
		[{ windowDays: 365, graceDays: -1 }],
		[{ windowDays: 1.5, graceDays: 0 }]
	])('policy %j is level.invalid', (policy) => {
		const input = {
			rules: RULES,
			policy,
			current: { levelId: 'normal', levelSince: 0 },
			spendInWindow: y(0),
			pointsInWindow: 0,
			now: NOW,
			mode: 'scheduled' as const
		};
		expect(codeOf(() => evaluateLevel(input))).toBe('level.invalid');
	});
	it('levelBenefits copies the benefits', () => {
		const gold = rule('g', 1, 1, {
			discountBp: 900,
			pointsMultiplierBp: 15000,
			birthdayBonusPoints: 200,
			perks: ['免费改衣']
		});
		expect(levelBenefits(gold)).toEqual({
			discountBp: 900,
			pointsMultiplierBp: 15000,
			birthdayBonusPoints: 200,
			perks: ['免费改衣']
		});
	});
});

describe('spendInWindow', () => {
	const from = windowStart(NOW, 365);
	const sales = [
		{ memberId: 'm1', createdAt: NOW - DAY, total: y(300) },
		{ memberId: 'm1', createdAt: from, total: y(200) }, // first instant of the window counts
		{ memberId: 'm1', createdAt: from - 1, total: y(9999) }, // just before: not counted
		{ memberId: 'm2', createdAt: NOW, total: y(5000) },
		{ createdAt: NOW, total: y(70) }, // anonymous sale
		{ memberId: 'm1', createdAt: NOW, total: y(-100) } // a return
	];
	it.each([
		['m1', from, undefined, 40000],
		['m2', from, undefined, 500000],
		['m3', from, undefined, 0],
		['m1', from, NOW, 50000], // until is exclusive: the return at NOW is left out
		['m1', NOW - DAY + 1, undefined, 0] // only the return: never below zero
	])('%s from %d until %s = %d fen', (memberId, start, until, total) => {
		expect(spendInWindow(sales, memberId, start, until)).toBe(total);
	});
	it('windowStart is now minus whole days', () => {
		expect(windowStart(NOW, 365)).toBe(NOW - 365 * DAY);
		expect(codeOf(() => windowStart(NOW, -1))).toBe('level.invalid');
	});
	it('refuses a total that is not whole fen', () => {
		expect(codeOf(() => spendInWindow([{ memberId: 'm', createdAt: NOW, total: 1.5 as Fen }], 'm', 0))).toBe(
			'money.notInteger'
		);
	});
});
