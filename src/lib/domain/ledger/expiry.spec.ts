/** Expiry dates in the chain's local calendar. */
import { describe, expect, it } from 'vitest';
import { expiryAfter, localDate } from './expiry';
import { CN } from './testHelpers';
import type { ExpiryPolicy } from './types';

// Local (UTC+8) wall-clock time as epoch ms.
const cn = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min) - CN * 60_000;
const eom12: ExpiryPolicy = { months: 12, endOfMonth: true };

describe('expiryAfter', () => {
	it.each([
		['mid-month, end of the 12th month after', cn(2026, 3, 15, 10), eom12, CN, cn(2027, 4, 1)],
		['last minute of the month stays in that month', cn(2026, 3, 31, 23, 30), eom12, CN, cn(2027, 4, 1)],
		[
			'00:30 local on the 1st is the new month (still 31 Mar in UTC)',
			cn(2026, 4, 1, 0, 30),
			eom12,
			CN,
			cn(2027, 5, 1)
		],
		['December rolls the year', cn(2026, 12, 10), eom12, CN, cn(2028, 1, 1)],
		['1 month, end of month', cn(2026, 1, 31, 9), { months: 1, endOfMonth: true }, CN, cn(2026, 3, 1)],
		[
			'to the day, clamped to February',
			cn(2026, 1, 31, 10),
			{ months: 1, endOfMonth: false },
			CN,
			cn(2026, 2, 28, 10)
		],
		[
			'to the day, leap February',
			cn(2028, 1, 31, 10),
			{ months: 1, endOfMonth: false },
			CN,
			cn(2028, 2, 29, 10)
		],
		['29 Feb + 12 months', cn(2028, 2, 29, 12), { months: 12, endOfMonth: false }, CN, cn(2029, 2, 28, 12)],
		['UTC chain', Date.UTC(2026, 2, 31, 23), eom12, 0, Date.UTC(2027, 3, 1)]
	])('%s', (_name, earnedAt, policy, offset, expected) => {
		expect(expiryAfter(earnedAt, policy, offset)).toBe(expected);
	});

	it('null policy never expires', () => {
		expect(expiryAfter(cn(2026, 1, 1), null, CN)).toBeUndefined();
	});

	it.each([0, 1.5, 121, -1])('rejects months = %s', (months) => {
		expect(() => expiryAfter(cn(2026, 1, 1), { months, endOfMonth: true }, CN)).toThrow(/ledger.badPolicy/);
	});

	it('rejects an impossible offset', () => {
		expect(() => expiryAfter(0, eom12, 15 * 60)).toThrow(/ledger.badPolicy/);
	});
});

describe('localDate', () => {
	it('reads the local calendar', () => {
		expect(localDate(Date.UTC(2026, 11, 31, 16), CN)).toEqual({ year: 2027, month: 1, day: 1 });
		expect(localDate(Date.UTC(2026, 11, 31, 15, 59), CN)).toEqual({ year: 2026, month: 12, day: 31 });
	});
});
