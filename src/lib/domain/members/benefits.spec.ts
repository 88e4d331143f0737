/** Table-driven member benefit cases, checked through the real pricing engine to the fen. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { fen } from '../money';
import { priceCart } from '../pricing/engine';
import { line, noRounding, pct, promo, y } from '../pricing/testHelpers';
import type { PricingLine, Promotion } from '../pricing/types';
import {
	birthdayStatus,
	memberPricingBenefits,
	type ActivePlan,
	type FirstPurchaseReward,
	type MemberBenefitsInput
} from './benefits';
import { newMemberProfile } from './profile';
import type { LevelRule } from './types';

const NOW = Date.UTC(2026, 10, 22, 4);

const level = (over: Partial<LevelRule> = {}): LevelRule => ({
	id: 'gold',
	name: '金卡',
	rank: 2,
	qualifyBy: 'spend',
	threshold: 500000,
	discountBp: 1000,
	pointsMultiplierBp: 15000,
	birthdayBonusPoints: 200,
	perks: [],
	...over
});
const normal = level({
	id: 'normal',
	name: '普通会员',
	rank: 0,
	threshold: 0,
	discountBp: 0,
	pointsMultiplierBp: 10000
});

const plan = (
	discountBp: number,
	pointsMultiplierBp = 20000,
	startsAt = NOW - 1000,
	endsAt = NOW + 1000
): ActivePlan => ({
	plan: {
		id: 'plus',
		name: 'PLUS',
		period: 'monthly',
		price: fen(1900),
		discountBp,
		pointsMultiplierBp,
		perks: [],
		active: true
	},
	subscription: { id: 's', memberId: 'm', planId: 'plus', startsAt, endsAt, saleId: 'x', createdAt: startsAt }
});

const save20over100: FirstPurchaseReward = {
	name: '首单立减',
	kind: 'spendSave',
	threshold: y(100),
	save: y(20)
};
const fivePercent: FirstPurchaseReward = { name: '首单95折', kind: 'percentOff', bp: 500 };

function codeOf(fn: () => unknown): string | undefined {
	try {
		fn();
		return undefined;
	} catch (e) {
		if (e instanceof DomainError) return e.code;
		throw e;
	}
}

describe('memberPricingBenefits', () => {
	const cases: {
		name: string;
		input: Partial<MemberBenefitsInput>;
		lines?: PricingLine[];
		store?: Promotion[];
		promotions: string[];
		source: 'level' | 'plan' | 'none';
		multiplier: number;
		total: number;
	}[] = [
		{
			name: 'entry level: nothing',
			input: { levelRule: normal },
			promotions: [],
			source: 'none',
			multiplier: 10000,
			total: 10000
		},
		{
			name: 'level 10 % off',
			input: {},
			promotions: ['member:level:gold'],
			source: 'level',
			multiplier: 15000,
			total: 9000
		},
		{
			name: 'plan better than level: only the plan',
			input: { activePlan: plan(1500) },
			promotions: ['member:plan:plus'],
			source: 'plan',
			multiplier: 20000,
			total: 8500
		},
		{
			name: 'level better than plan: only the level; points take the better multiplier',
			input: { activePlan: plan(500, 30000) },
			promotions: ['member:level:gold'],
			source: 'level',
			multiplier: 30000,
			total: 9000
		},
		{
			name: 'tie goes to the level',
			input: { activePlan: plan(1000, 10000) },
			promotions: ['member:level:gold'],
			source: 'level',
			multiplier: 15000,
			total: 9000
		},
		{
			name: 'plan on an entry-level member',
			input: { levelRule: normal, activePlan: plan(800, 5000) },
			promotions: ['member:plan:plus'],
			source: 'plan',
			multiplier: 10000,
			total: 9200
		},
		{
			name: 'first purchase ¥20 off ≥ ¥100, after the member discount',
			input: { levelRule: normal, isFirstPurchase: true, firstPurchaseReward: save20over100 },
			promotions: ['member:first'],
			source: 'none',
			multiplier: 10000,
			total: 8000
		},
		{
			name: 'first purchase threshold checked after the level discount (¥90 < ¥100)',
			input: { isFirstPurchase: true, firstPurchaseReward: save20over100 },
			promotions: ['member:level:gold', 'member:first'],
			source: 'level',
			multiplier: 15000,
			total: 9000
		},
		{
			name: 'first purchase 5 % stacks on the level discount',
			input: { isFirstPurchase: true, firstPurchaseReward: fivePercent },
			promotions: ['member:level:gold', 'member:first'],
			source: 'level',
			multiplier: 15000,
			total: 8550
		},
		{
			name: 'not a first purchase: no reward',
			input: { isFirstPurchase: false, firstPurchaseReward: fivePercent },
			promotions: ['member:level:gold'],
			source: 'level',
			multiplier: 15000,
			total: 9000
		},
		{
			name: 'stacks on a stackable store promotion (applied first)',
			input: {},
			store: [promo('p20', pct(2000))],
			promotions: ['member:level:gold'],
			source: 'level',
			multiplier: 15000,
			total: 7200
		},
		{
			name: 'an exclusive store promotion keeps the member discount off its lines',
			input: {},
			lines: [line('A'), line('B', { categoryId: 'sale' })],
			store: [promo('clear', pct(3000), { stacking: 'exclusive', scope: { categoryIds: ['sale'] } })],
			promotions: ['member:level:gold'],
			source: 'level',
			multiplier: 15000,
			total: 9000 + 7000
		},
		{
			name: 'discount scope excludes categories',
			input: { discountScope: { excludeCategoryIds: ['giftcard'] } },
			lines: [line('A'), line('G', { categoryId: 'giftcard' })],
			promotions: ['member:level:gold'],
			source: 'level',
			multiplier: 15000,
			total: 9000 + 10000
		}
	];
	it.each(cases)('$name', (c) => {
		const benefits = memberPricingBenefits({
			levelRule: level(),
			isFirstPurchase: false,
			now: NOW,
			...c.input
		});
		expect(benefits.promotions.map((p) => p.id)).toEqual(c.promotions);
		expect(benefits.discountSource).toBe(c.source);
		expect(benefits.pointsMultiplierBp).toBe(c.multiplier);
		expect(benefits.memberLevelId).toBe((c.input.levelRule ?? level()).id);
		const priced = priceCart(
			c.lines ?? [line('A')],
			[...(c.store ?? []), ...benefits.promotions],
			{ now: NOW, memberLevelId: benefits.memberLevelId },
			noRounding
		);
		expect(priced.total).toBe(c.total);
	});

	it('synthetic promotions are members-only, stackable, after store promotions, named from config', () => {
		const b = memberPricingBenefits({
			levelRule: level(),
			activePlan: plan(2000),
			isFirstPurchase: true,
			firstPurchaseReward: fivePercent,
			now: NOW
		});
		expect(b.promotions).toEqual([
			{
				id: 'member:plan:plus',
				name: 'PLUS',
				priority: 900,
				stacking: 'stackable',
				scope: {},
				rule: { kind: 'percentOff', bp: 2000 },
				membersOnly: true,
				active: true,
				startsAt: NOW - 1000,
				endsAt: NOW + 1000
			},
			{
				id: 'member:first',
				name: '首单95折',
				priority: 910,
				stacking: 'stackable',
				scope: {},
				rule: { kind: 'percentOff', bp: 500 },
				membersOnly: true,
				active: true
			}
		]);
	});

	it('without a member attached the engine ignores them', () => {
		const b = memberPricingBenefits({ levelRule: level(), isFirstPurchase: false, now: NOW });
		expect(priceCart([line('A')], b.promotions, { now: NOW }, noRounding).total).toBe(10000);
	});

	it.each([
		['expired plan', { activePlan: plan(1500, 1, NOW - 10, NOW) }, 'plan.expired'],
		['plan not started', { activePlan: plan(1500, 1, NOW + 1, NOW + 10) }, 'plan.notStarted'],
		['malformed plan', { activePlan: plan(-5) }, 'plan.invalid'],
		['malformed level', { levelRule: level({ discountBp: 20000 }) }, 'level.invalid'],
		[
			'reward saving more than its threshold',
			{ isFirstPurchase: true, firstPurchaseReward: { ...save20over100, save: y(200) } },
			'promotion.invalid'
		],
		[
			'reward of 0 %',
			{ isFirstPurchase: true, firstPurchaseReward: { ...fivePercent, bp: 0 } },
			'promotion.invalid'
		]
	])('%s -> %s', (_, over, code) => {
		expect(
			codeOf(() => memberPricingBenefits({ levelRule: level(), isFirstPurchase: false, now: NOW, ...over }))
		).toBe(code);
	});
});

describe('birthdayStatus', () => {
	const withBirthday = (birthday: string) => ({
		...newMemberProfile({
			id: 'm',
			code: 'M1',
			phone: '13800000000',
			now: 0,
			staffId: 's',
			branchId: 'b',
			entryLevelId: 'n'
		}),
		birthday
	});
	it.each([
		['1990-11-22', 'today'],
		['1990-11-30', 'thisMonth'],
		['1990-10-22', 'none'],
		['', 'none']
	])('%j -> %s', (birthday, status) => expect(birthdayStatus(withBirthday(birthday), NOW)).toBe(status));
});
