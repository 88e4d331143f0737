/** Table-driven paid-plan cases: calendar periods, renewals, offline double renewals, reminders, errors. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../errors';
import { fen } from '../money';
import {
	activePlan,
	assertPlanInEffect,
	effectiveSubscriptions,
	expiringSoon,
	paidUntil,
	planEnd,
	subscribe,
	validatePlan
} from './plans';
import type { PaidPlan, PlanPeriod, PlanSubscription } from './types';

const DAY = 86_400_000;
/** Beijing wall-clock time as epoch ms. */
const bj = (local: string) => Date.parse(`${local}+08:00`);

const plan = (over: Partial<PaidPlan> = {}): PaidPlan => ({
	id: 'plus',
	name: 'PLUS 月卡',
	period: 'monthly',
	price: fen(1900),
	discountBp: 500,
	pointsMultiplierBp: 20000,
	perks: [],
	active: true,
	...over
});

function sub(
	id: string,
	startsAt: number,
	endsAt: number,
	over: Partial<PlanSubscription> = {}
): PlanSubscription {
	return {
		id,
		memberId: 'm1',
		planId: 'plus',
		startsAt,
		endsAt,
		saleId: `sale-${id}`,
		createdAt: startsAt,
		...over
	};
}

function codeOf(fn: () => unknown): string | undefined {
	try {
		fn();
		return undefined;
	} catch (e) {
		if (e instanceof DomainError) return e.code;
		throw e;
	}
}

describe('planEnd (calendar months in Beijing time)', () => {
	const cases: [string, PlanPeriod, string, number?][] = [
		['2026-01-15T10:30', 'monthly', '2026-02-15T10:30'],
		['2026-01-31T10:00', 'monthly', '2026-02-28T10:00'],
		['2028-01-31T10:00', 'monthly', '2028-02-29T10:00'],
		['2026-03-31T10:00', 'monthly', '2026-04-30T10:00'],
		['2026-12-15T10:00', 'monthly', '2027-01-15T10:00'],
		['2026-11-30T10:00', 'quarterly', '2027-02-28T10:00'],
		['2026-08-31T23:59', 'quarterly', '2026-11-30T23:59'],
		['2028-02-29T09:00', 'annual', '2029-02-28T09:00'],
		['2026-05-20T00:00', 'annual', '2027-05-20T00:00'],
		// 00:30 in Beijing is still the previous day in UTC: months are counted in Beijing.
		['2026-03-01T00:30', 'monthly', '2026-04-01T00:30'],
		// A renewal run that started on the 31st keeps its day.
		['2026-02-28T10:00', 'monthly', '2026-03-31T10:00', 31],
		['2026-03-31T10:00', 'monthly', '2026-04-30T10:00', 31]
	];
	it.each(cases)('%s + %s = %s (day %s)', (start, period, end, day) => {
		expect(planEnd(bj(start), period, 480, day)).toBe(bj(end));
	});
	it('another offset counts months in that zone', () => {
		// 2026-02-28T17:00Z is already 1 March 01:00 in Beijing.
		const start = Date.parse('2026-02-28T17:00:00Z');
		expect(planEnd(start, 'monthly', 480)).toBe(Date.parse('2026-03-31T17:00:00Z'));
		expect(planEnd(start, 'monthly', 0)).toBe(Date.parse('2026-03-28T17:00:00Z'));
	});
	it('refuses a bad period or offset', () => {
		expect(codeOf(() => planEnd(0, 'weekly' as PlanPeriod, 480))).toBe('plan.invalid');
		expect(codeOf(() => planEnd(0, 'monthly', 481.5))).toBe('member.badDate');
	});
});

describe('subscribe', () => {
	const opts = { id: 'new', saleId: 'sale-new', utcOffsetMinutes: 480 };
	const jan31 = bj('2026-01-31T10:00');
	const cases: {
		name: string;
		now: string;
		existing: PlanSubscription[];
		plan?: Partial<PaidPlan>;
		expect: [string, string] | string;
	}[] = [
		{
			name: 'first purchase starts now',
			now: '2026-01-15T10:00',
			existing: [],
			expect: ['2026-01-15T10:00', '2026-02-15T10:00']
		},
		{
			name: 'renewal while active extends from the end',
			now: '2026-02-20T10:00',
			existing: [sub('a', jan31, bj('2026-02-28T10:00'))],
			expect: ['2026-02-28T10:00', '2026-03-31T10:00']
		},
		{
			name: 'second renewal chains after the queued one',
			now: '2026-02-20T10:00',
			existing: [
				sub('a', jan31, bj('2026-02-28T10:00')),
				sub('b', bj('2026-02-28T10:00'), bj('2026-03-31T10:00'))
			],
			expect: ['2026-03-31T10:00', '2026-04-30T10:00']
		},
		{
			name: 'renewing with an annual plan after a monthly',
			now: '2026-02-01T10:00',
			existing: [sub('a', jan31, bj('2026-02-28T10:00'))],
			plan: { period: 'annual' },
			expect: ['2026-02-28T10:00', '2027-02-28T10:00']
		},
		{
			name: 'after expiry a purchase starts now',
			now: '2026-03-05T09:00',
			existing: [sub('a', jan31, bj('2026-02-28T10:00'))],
			expect: ['2026-03-05T09:00', '2026-04-05T09:00']
		},
		{
			name: 'at the exact end instant the old one is over',
			now: '2026-02-28T10:00',
			existing: [sub('a', jan31, bj('2026-02-28T10:00'))],
			expect: ['2026-02-28T10:00', '2026-03-28T10:00']
		},
		{
			name: "other members' subscriptions are ignored",
			now: '2026-02-01T10:00',
			existing: [sub('x', jan31, bj('2026-02-28T10:00'), { memberId: 'm2' })],
			expect: ['2026-02-01T10:00', '2026-03-01T10:00']
		},
		{
			name: 'a plan no longer sold',
			now: '2026-02-01T10:00',
			existing: [],
			plan: { active: false },
			expect: 'plan.inactive'
		},
		{
			name: 'a malformed plan',
			now: '2026-02-01T10:00',
			existing: [],
			plan: { discountBp: -1 },
			expect: 'plan.invalid'
		}
	];
	it.each(cases)('$name', (c) => {
		const run = () => subscribe(plan(c.plan), 'm1', bj(c.now), c.existing, opts);
		if (typeof c.expect === 'string') {
			expect(codeOf(run)).toBe(c.expect);
			return;
		}
		expect(run()).toEqual({
			id: 'new',
			memberId: 'm1',
			planId: 'plus',
			startsAt: bj(c.expect[0]),
			endsAt: bj(c.expect[1]),
			saleId: 'sale-new',
			createdAt: bj(c.now)
		});
	});

	it('twelve monthly renewals from 31 January never drift', () => {
		let subs: PlanSubscription[] = [];
		for (let i = 0; i < 12; i += 1)
			subs = [...subs, subscribe(plan(), 'm1', jan31 + i, subs, { ...opts, id: `s${i}` })];
		expect(subs.map((s) => new Date(s.endsAt + 8 * 3600_000).getUTCDate())).toEqual([
			28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31
		]);
		expect(paidUntil(subs, 'm1', jan31)).toBe(bj('2027-01-31T10:00'));
	});
});

describe('effective subscriptions (offline double renewal)', () => {
	const a = sub('a', bj('2026-01-01T10:00'), bj('2026-02-01T10:00'));
	// Two tills sold a renewal while offline: both start when `a` ends.
	const b = sub('b', bj('2026-02-01T10:00'), bj('2026-03-01T10:00'), { createdAt: bj('2026-01-20T10:00') });
	const c = sub('c', bj('2026-02-01T10:00'), bj('2026-03-01T10:00'), { createdAt: bj('2026-01-21T10:00') });
	it('lays overlapping subscriptions end to end, keeping their length', () => {
		expect(effectiveSubscriptions([c, a, b]).map((s) => [s.id, s.startsAt, s.endsAt])).toEqual([
			['a', a.startsAt, a.endsAt],
			['b', b.startsAt, b.endsAt],
			['c', b.endsAt, b.endsAt + (c.endsAt - c.startsAt)]
		]);
	});
	it('is the same whatever order the records arrive in', () => {
		fc.assert(
			fc.property(fc.shuffledSubarray([a, b, c], { minLength: 3, maxLength: 3 }), (order) => {
				expect(effectiveSubscriptions(order)).toEqual(effectiveSubscriptions([a, b, c]));
			})
		);
	});
	it('the member gets both paid months', () => {
		expect(paidUntil([a, b, c], 'm1', bj('2026-01-25T00:00'))).toBe(b.endsAt + (c.endsAt - c.startsAt));
		expect(activePlan([a, b, c], bj('2026-03-10T00:00'))?.id).toBe('c');
	});
});

describe('activePlan and expiringSoon', () => {
	const s1 = sub('s1', bj('2026-11-01T10:00'), bj('2026-12-01T10:00'));
	const m2 = sub('m2a', bj('2026-11-10T10:00'), bj('2026-11-25T10:00'), { memberId: 'm2' });
	const m2renewed = sub('m2b', bj('2026-11-25T10:00'), bj('2026-12-25T10:00'), { memberId: 'm2' });
	const m3 = sub('m3', bj('2026-06-01T10:00'), bj('2026-07-01T10:00'), { memberId: 'm3' });
	const m4 = sub('m4', bj('2026-11-20T10:00'), bj('2026-11-24T10:00'), { memberId: 'm4' });
	const now = bj('2026-11-22T12:00');
	it.each([
		['in effect', [s1], now, 's1'],
		['start is inclusive', [s1], s1.startsAt, 's1'],
		['end is exclusive', [s1], s1.endsAt, undefined],
		['not yet started', [s1], s1.startsAt - 1, undefined],
		['none', [], now, undefined]
	])('activePlan: %s', (_, subs, at, id) => expect(activePlan(subs, at)?.id).toBe(id));

	it.each([
		[3, ['m4']],
		[9, ['m4', 's1']],
		[40, ['m4', 's1', 'm2b']],
		[0, []]
	])('within %d days: %j', (days, ids) => {
		expect(expiringSoon([s1, m2, m2renewed, m3, m4], now, days).map((s) => s.id)).toEqual(ids);
	});
	it('refuses a negative window', () => expect(codeOf(() => expiringSoon([], now, -1))).toBe('plan.invalid'));
});

describe('plan validity', () => {
	const s = sub('s', 1000, 2000);
	it.each([
		[999, 'plan.notStarted'],
		[1000, undefined],
		[1999, undefined],
		[2000, 'plan.expired']
	])('at %d: %s', (now, code) => expect(codeOf(() => assertPlanInEffect(plan(), s, now))).toBe(code));
	it('a subscription of another plan is plan.invalid', () => {
		expect(codeOf(() => assertPlanInEffect(plan({ id: 'other' }), s, 1500))).toBe('plan.invalid');
	});
	it.each([
		[{ id: '' }, 'id'],
		[{ period: 'weekly' as PlanPeriod }, 'period'],
		[{ period: 'toString' as PlanPeriod }, 'period'],
		[{ price: fen(-1) }, 'price'],
		[{ discountBp: 10001 }, 'discountBp'],
		[{ pointsMultiplierBp: 1.5 }, 'pointsMultiplierBp']
	])('%j -> plan.invalid %s', (over, field) => {
		try {
			validatePlan(plan(over));
			expect.unreachable();
		} catch (e) {
			expect((e as DomainError).code).toBe('plan.invalid');
			expect((e as DomainError).params.field).toBe(field);
		}
	});
	it('a day is 86,400,000 ms', () => expect(DAY).toBe(24 * 3600 * 1000));
});
