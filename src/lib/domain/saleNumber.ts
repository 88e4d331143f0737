/**
 * Human sale numbers, unique per till without a network: B01-T2-20261122-0042 = branch, till, local business date
 * and the till's sequence for that day. Printed as a barcode on receipts so returns can scan it back in.
 */
import { DomainError } from './errors';

/** The parts of a sale number. */
export interface SaleNumberParts {
	/** Upper-case letters/digits, e.g. "B01" (no dash: the dash separates the parts). */
	branchCode: string;
	/** Upper-case letters/digits, e.g. "T2". */
	tillCode: string;
	/** Local business date, YYYYMMDD. */
	date: string;
	/** 1, 2, 3 ... per till per day; padded to 4 digits, longer when it passes 9999. */
	seq: number;
}

const CODE = /^[A-Z0-9]{1,8}$/;
const NUMBER = /^([A-Z0-9]{1,8})-([A-Z0-9]{1,8})-(\d{8})-(\d{4,})$/;

function bad(field: string, value: string | number): DomainError {
	return new DomainError('sale.badNumber', { field, value: String(value) });
}

function isCalendarDate(yyyymmdd: string): boolean {
	if (!/^\d{8}$/.test(yyyymmdd)) return false;
	const y = Number(yyyymmdd.slice(0, 4));
	const m = Number(yyyymmdd.slice(4, 6));
	const d = Number(yyyymmdd.slice(6, 8));
	if (y < 2000 || m < 1 || m > 12 || d < 1) return false;
	return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Formats a sale number; throws sale.badNumber (with the field) for a part that would not parse back. */
export function formatSaleNumber(parts: SaleNumberParts): string {
	const { branchCode, tillCode, date, seq } = parts;
	if (!CODE.test(branchCode)) throw bad('branchCode', branchCode);
	if (!CODE.test(tillCode)) throw bad('tillCode', tillCode);
	if (!isCalendarDate(date)) throw bad('date', date);
	if (!Number.isSafeInteger(seq) || seq < 1) throw bad('seq', seq);
	return `${branchCode}-${tillCode}-${date}-${String(seq).padStart(4, '0')}`;
}

/**
 * Parses a scanned or typed sale number (trimmed, case-insensitive). Only the canonical form is accepted, so each
 * sale has exactly one spelling ("0042" yes, "00042" no); anything else throws sale.badNumber.
 */
export function parseSaleNumber(input: string): SaleNumberParts {
	const text = input.trim().toUpperCase();
	const match = NUMBER.exec(text);
	if (!match) throw bad('number', input);
	const [, branchCode = '', tillCode = '', date = '', seqText = ''] = match;
	const parts = { branchCode, tillCode, date, seq: Number(seqText) };
	// Round-trip check rejects impossible dates, seq 0 and non-canonical padding in one place.
	let canonical: string;
	try {
		canonical = formatSaleNumber(parts);
	} catch {
		throw bad('number', input);
	}
	if (canonical !== text) throw bad('number', input);
	return parts;
}

/**
 * The local calendar date (YYYYMMDD) of an instant, given the store's UTC offset in minutes (China: +480).
 * The offset is passed in because the domain must not read the device's time zone.
 */
export function localDateKey(epochMs: number, utcOffsetMinutes: number): string {
	if (!Number.isSafeInteger(utcOffsetMinutes) || utcOffsetMinutes < -720 || utcOffsetMinutes > 840)
		throw bad('utcOffsetMinutes', utcOffsetMinutes);
	if (!Number.isFinite(epochMs)) throw bad('epochMs', epochMs);
	const local = new Date(epochMs + utcOffsetMinutes * 60_000);
	const y = String(local.getUTCFullYear()).padStart(4, '0');
	const m = String(local.getUTCMonth() + 1).padStart(2, '0');
	const d = String(local.getUTCDate()).padStart(2, '0');
	return `${y}${m}${d}`;
}
