/**
 * Calendar arithmetic for expiring batches (points, stored-value bonus). Expiry is a local-calendar rule ("end of
 * the 12th month after earning"), so it is computed in the chain's UTC offset, not the device's time zone.
 */
import { DomainError } from '../errors';
import type { ExpiryPolicy } from './types';

const MINUTE = 60_000;

/** Throws ledger.badPolicy unless months is a whole number from 1 to 120 and the offset is a whole minute count. */
export function validateExpiryPolicy(policy: ExpiryPolicy, utcOffsetMinutes = 0): void {
	if (!Number.isSafeInteger(policy.months) || policy.months < 1 || policy.months > 120)
		throw new DomainError('ledger.badPolicy', { field: 'months', value: String(policy.months) });
	if (!Number.isSafeInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60)
		throw new DomainError('ledger.badPolicy', { field: 'utcOffsetMinutes', value: String(utcOffsetMinutes) });
}

/**
 * When a batch earned at `earnedAt` expires (epoch ms, exclusive), or undefined when the policy is null (never).
 * endOfMonth: the first instant after the last day of the Nth month after the earning month, local time
 * (earned 2026-03-15, 12 months -> expires 2027-04-01 00:00 local, i.e. usable through 2027-03-31).
 * Otherwise the same local date and time N months later, clamped to the month's last day (Jan 31 + 1 -> Feb 28).
 */
export function expiryAfter(
	earnedAt: number,
	policy: ExpiryPolicy | null,
	utcOffsetMinutes: number
): number | undefined {
	if (policy === null) return undefined;
	validateExpiryPolicy(policy, utcOffsetMinutes);
	if (!Number.isSafeInteger(earnedAt))
		throw new DomainError('ledger.badPolicy', { field: 'earnedAt', value: String(earnedAt) });
	const offset = utcOffsetMinutes * MINUTE;
	// Shift into "local time expressed as UTC" so the UTC getters read the local calendar.
	const local = new Date(earnedAt + offset);
	const year = local.getUTCFullYear();
	const month = local.getUTCMonth() + policy.months;
	if (policy.endOfMonth) return Date.UTC(year, month + 1, 1) - offset;
	const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	const day = Math.min(local.getUTCDate(), lastDay);
	const timeOfDay = earnedAt + offset - Date.UTC(year, local.getUTCMonth(), local.getUTCDate());
	return Date.UTC(year, month, day) + timeOfDay - offset;
}

/** The local calendar date of `at`: year, month 1-12, day 1-31. */
export function localDate(
	at: number,
	utcOffsetMinutes: number
): { year: number; month: number; day: number } {
	const local = new Date(at + utcOffsetMinutes * MINUTE);
	return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}
