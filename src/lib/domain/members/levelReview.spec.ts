/** Table-driven cases of the scheduled level review: who is due, downgrades after grace, upgrades, ids. */
import { describe, expect, it } from 'vitest';
import { fen, type Fen } from '../money';
import { chainSpend, dueForReview, LEVEL_REVIEW_STAFF, reviewLevel } from './levelReview';
import { newMemberProfile } from './profile';
import type { LevelPolicy, LevelRule, MemberProfile } from './types';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 27, 4); // 12:00 in Beijing
const y = (yuan: number): Fen => fen(Math.round(yuan * 100));

const rule = (id: string, rank: number, threshold: number, qualifyBy: LevelRule['qualifyBy'] = 'spend') => ({
	id,
	name: id,
	rank,
	qualifyBy,
	threshold,
	discountBp: 0,
	pointsMultiplierBp: 10000,
	birthdayBonusPoints: 0,
	perks: []
});
const RULES: LevelRule[] = [rule('normal', 0, 0), rule('silver', 1, y(1000)), rule('gold', 2, y(5000))];
const POINTS_RULES: LevelRule[] = [rule('normal', 0, 0, 'points'), rule('vip', 1, 3000, 'points')];
const POLICY: LevelPolicy = { windowDays: 365, graceDays: 30 };

function member(
	levelId: string,
	levelSinceDaysAgo: number,
	over: Partial<MemberProfile> = {}
): MemberProfile {
	return {
		...newMemberProfile({
			id: 'm1',
			code: 'M0001',
			phone: '13812345678',
			now: NOW - 800 * DAY,
			staffId: 'st-1',
			branchId: 'br-01',
			entryLevelId: 'normal'
		}),
		levelId,
		levelSince: NOW - levelSinceDaysAgo * DAY,
		...over
	};
}
const sale = (daysAgo: number, yuan: number) => ({
	id: `s-${daysAgo}-${yuan}`,
	memberId: 'm1',
	createdAt: NOW - daysAgo * DAY,
	total: y(yuan)
});
/** The purchase entry another branch's till writes for a sale of its own. */
const purchase = (saleId: string, daysAgo: number, yuan: number) => ({
	account: 'spend' as const,
	kind: 'purchase' as const,
	amount: y(yuan),
	createdAt: NOW - daysAgo * DAY,
	refs: [saleId]
});

describe('dueForReview', () => {
	it.each([
		['the entry level is never due', member('normal', 400), false],
		['a higher level inside its grace period is not due', member('gold', 29), false],
		['a higher level past its grace period is due', member('gold', 31), true],
		['a level that no longer exists is due', member('platinum', 1), true],
		['an anonymised member is never due', member('gold', 400, { anonymizedAt: NOW - DAY }), false]
	])('%s', (_name, m, due) => {
		expect(dueForReview(m, RULES, POLICY, NOW)).toBe(due);
	});
});

describe('reviewLevel', () => {
	type Case = [
		name: string,
		current: MemberProfile,
		sales: ReturnType<typeof sale>[],
		expected: string | null
	];
	const cases: Case[] = [
		['gold with ¥6,000 in the window keeps gold', member('gold', 200), [sale(100, 6000)], null],
		['gold with ¥2,000 in the window drops to silver', member('gold', 200), [sale(100, 2000)], 'silver'],
		['gold whose big sale left the window drops to normal', member('gold', 200), [sale(366, 9000)], 'normal'],
		['gold inside the grace period keeps gold', member('gold', 10), [], null],
		[
			'a return inside the window counts against the spend',
			member('silver', 200),
			[sale(100, 1500), sale(50, -800)],
			'normal'
		],
		[
			'normal with ¥5,500 (an imported history) is raised to gold',
			member('normal', 400),
			[sale(20, 5500)],
			'gold'
		]
	];
	it.each(cases)('%s', (_name, current, sales, expected) => {
		const outcome = reviewLevel({
			member: current,
			rules: RULES,
			policy: POLICY,
			sales,
			purchases: [],
			earned: [],
			now: NOW,
			utcOffsetMinutes: 480
		});
		expect(outcome?.member.levelId ?? null).toBe(expected);
		if (outcome) {
			expect(outcome.member.levelSince).toBe(NOW);
			expect(outcome.change).toMatchObject({ field: 'levelId', from: current.levelId, to: expected });
			expect(outcome.change.staffId).toBe(LEVEL_REVIEW_STAFF);
		}
	});

	it('counts points earned in the window for points-qualified levels, never points spent', () => {
		const review = (earned: { amount: number; createdAt: number }[]) =>
			reviewLevel({
				member: member('vip', 100),
				rules: POINTS_RULES,
				policy: POLICY,
				sales: [],
				purchases: [],
				earned,
				now: NOW,
				utcOffsetMinutes: 480
			});
		expect(review([{ amount: 3200, createdAt: NOW - 30 * DAY }])).toBeNull();
		expect(review([{ amount: 3200, createdAt: NOW - 400 * DAY }])?.member.levelId).toBe('normal');
	});

	it('gives the same change id to two tills reviewing the same member on the same local day', () => {
		const at = (now: number) =>
			reviewLevel({
				member: member('gold', 200),
				rules: RULES,
				policy: POLICY,
				sales: [],
				purchases: [],
				earned: [],
				now,
				utcOffsetMinutes: 480
			})?.change.id;
		expect(at(NOW)).toBe(at(NOW + 3 * 3_600_000));
		expect(at(NOW)).toBe('level-review:m1:2026-11-27');
		expect(at(NOW + 13 * 3_600_000)).toBe('level-review:m1:2026-11-28'); // past midnight in Beijing
	});
});

describe('chainSpend', () => {
	const from = NOW - 365 * DAY;
	it.each([
		['local sales only', [sale(10, 300)], [], 300],
		["another branch's purchases only", [], [purchase('b-1', 10, 700)], 700],
		[
			'a sale held here and its purchase entry count once',
			[sale(10, 300)],
			[purchase('s-10-300', 10, 300)],
			300
		],
		['both sources add up', [sale(10, 300)], [purchase('b-1', 20, 700)], 1000],
		['purchases outside the window do not count', [], [purchase('b-1', 400, 700)], 0],
		['a return held here subtracts', [sale(10, 300), sale(5, -100)], [purchase('b-1', 20, 50)], 250]
	])('%s', (_name, sales, purchases, yuan) => {
		expect(chainSpend(sales, purchases, 'm1', from, NOW + 1)).toBe(y(yuan));
	});

	it('ignores entries of other accounts and other members’ sales', () => {
		const points = { ...purchase('b-2', 10, 900), account: 'points' as const, kind: 'earn' as const };
		const someoneElse = { ...sale(10, 800), memberId: 'm2' };
		expect(chainSpend([someoneElse], [points], 'm1', from, NOW + 1)).toBe(y(0));
	});
});
