/**
 * Calendar helpers for membership: birthdays, plan periods and imported dates are wall-clock dates in the chain's
 * time zone, passed in as a fixed UTC offset (China has no daylight saving: +480 minutes). The clock is always a
 * parameter, never read here. Months are 1-based everywhere in this file.
 */
import { DomainError } from '../errors';

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Beijing time, the default for every function that needs a local date. */
export const CHINA_UTC_OFFSET_MINUTES = 480;

export interface LocalDate {
	year: number;
	/** 1-12 */
	month: number;
	day: number;
}

/** Throws member.badDate unless the offset is a whole number of minutes within UTC-12:00..UTC+14:00. */
export function checkOffset(utcOffsetMinutes: number): void {
	if (!Number.isSafeInteger(utcOffsetMinutes) || utcOffsetMinutes < -720 || utcOffsetMinutes > 840)
		throw new DomainError('member.badDate', { field: 'utcOffsetMinutes', value: String(utcOffsetMinutes) });
}

/** Throws member.badDate unless `at` is an epoch-ms safe integer. */
export function checkInstant(at: number, field: string): void {
	if (!Number.isSafeInteger(at)) throw new DomainError('member.badDate', { field, value: String(at) });
}

export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
	return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

export function isRealDate(d: LocalDate): boolean {
	return (
		Number.isInteger(d.year) &&
		Number.isInteger(d.month) &&
		Number.isInteger(d.day) &&
		d.month >= 1 &&
		d.month <= 12 &&
		d.day >= 1 &&
		d.day <= daysInMonth(d.year, d.month)
	);
}

/** The wall-clock date at `at` in the given offset. */
export function localDate(at: number, utcOffsetMinutes: number): LocalDate {
	checkOffset(utcOffsetMinutes);
	const d = new Date(at + utcOffsetMinutes * MINUTE_MS);
	return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Epoch ms of a local wall-clock time. */
export function fromLocal(
	d: LocalDate,
	utcOffsetMinutes: number,
	hours = 0,
	minutes = 0,
	seconds = 0
): number {
	checkOffset(utcOffsetMinutes);
	return Date.UTC(d.year, d.month - 1, d.day, hours, minutes, seconds) - utcOffsetMinutes * MINUTE_MS;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatIsoDate(d: LocalDate): string {
	return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** "2026-11-22 12:05" in the given offset (for exports). */
export function formatLocalDateTime(at: number, utcOffsetMinutes: number): string {
	checkOffset(utcOffsetMinutes);
	const d = new Date(at + utcOffsetMinutes * MINUTE_MS);
	const date = formatIsoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
	return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Strict YYYY-MM-DD (zero-padded) that is a real date, or undefined. */
export function parseIsoDate(text: string): LocalDate | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!m) return undefined;
	const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
	return isRealDate(d) ? d : undefined;
}

/** Negative, 0 or positive as a is before, equal to or after b. */
export function compareDates(a: LocalDate, b: LocalDate): number {
	return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * Lenient date (and optional time) as other systems and spreadsheets write it: 2024-05-01, 2024/5/1, 2024.5.1,
 * 20240501, 2024年5月1日, each optionally followed by " 12:30" or " 12:30:45" (or "T12:30"). Returns the date and
 * the time of day in seconds, or undefined when it is not a real date and time.
 */
export function parseLooseDateTime(text: string): { date: LocalDate; seconds: number } | undefined {
	const m =
		/^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(
			text.trim()
		);
	if (!m) return undefined;
	const date = {
		year: Number(m[1]),
		month: Number(m[2] ?? m[4]),
		day: Number(m[3] ?? m[5])
	};
	if (!isRealDate(date)) return undefined;
	const h = Number(m[6] ?? 0);
	const min = Number(m[7] ?? 0);
	const s = Number(m[8] ?? 0);
	if (h > 23 || min > 59 || s > 59) return undefined;
	return { date, seconds: h * 3600 + min * 60 + s };
}

/**
 * Adds calendar months in local time, keeping the time of day. The day of month is `dayOfMonth` (default: the
 * start's own day), clamped to the target month's length: Jan 31 + 1 month = Feb 28 (29 in a leap year). Passing
 * the day a chain of renewals started on keeps them from drifting (Jan 31 -> Feb 28 -> Mar 31).
 */
export function addMonthsLocal(
	at: number,
	months: number,
	utcOffsetMinutes: number,
	dayOfMonth?: number
): number {
	checkOffset(utcOffsetMinutes);
	const local = at + utcOffsetMinutes * MINUTE_MS;
	const d = new Date(local);
	const msOfDay = local - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
	const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
	const year = Math.floor(index / 12);
	const month = index - year * 12 + 1;
	const day = Math.min(dayOfMonth ?? d.getUTCDate(), daysInMonth(year, month));
	return Date.UTC(year, month - 1, day) + msOfDay - utcOffsetMinutes * MINUTE_MS;
}
