/**
 * Member profiles: phone normalisation, enrolment at the till (支付即会员: a phone number is enough), audited edits,
 * birthdays and PIPL deletion. Every function is pure; clocks, ids and randomness are passed in.
 */
import { DomainError } from '../errors';
import type { LevelId } from '../catalog';
import {
	CHINA_UTC_OFFSET_MINUTES,
	checkInstant,
	compareDates,
	formatIsoDate,
	isLeapYear,
	localDate,
	parseIsoDate,
	type LocalDate
} from './dates';
import type { Gender, MemberId, MemberProfile, ProfileChange } from './types';

export const MAX_NAME_LENGTH = 40;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 20;
export const MAX_ADDRESS_LENGTH = 200;
export const MAX_NOTES_LENGTH = 500;
/** Birthdays before this year are typing mistakes (or another system's "no birthday" placeholder). */
export const MIN_BIRTH_YEAR = 1900;

const MOBILE = /^1[3-9]\d{9}$/;
const GENDERS: readonly Gender[] = ['female', 'male', 'unspecified'];

/**
 * A mainland mobile number as 11 digits. Tolerates what people and other systems type around it: spaces
 * (including the full-width one), dashes, dots, brackets, full-width digits and a +86 / 0086 / 86 country prefix.
 * Throws member.badPhone otherwise (landlines, HK/TW numbers and short numbers are refused).
 */
export function normalizePhone(input: string): string {
	let digits = input
		.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48))
		.replace(/[\s\u3000\-–—.()（）]/g, '');
	if (digits.startsWith('+86')) digits = digits.slice(3);
	else if (digits.startsWith('0086')) digits = digits.slice(4);
	else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
	if (!MOBILE.test(digits)) throw new DomainError('member.badPhone', { value: input.trim() });
	return digits;
}

/** Whether the input normalises to a mainland mobile number. */
export function isValidPhone(input: string): boolean {
	try {
		normalizePhone(input);
		return true;
	} catch {
		return false;
	}
}

/** 138****1234 for anything a customer or a report shows. Short or odd values keep only their last 4 digits. */
export function maskPhone(phone: string): string {
	if (phone === '') return '';
	if (phone.length === 11) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
	if (phone.length <= 4) return '*'.repeat(phone.length);
	return '*'.repeat(phone.length - 4) + phone.slice(-4);
}

/** Length in characters as a person counts them (a rare 𠀀 character is one, not two UTF-16 units). */
function charCount(text: string): number {
	return [...text].length;
}

/** Trimmed text; throws member.tooLong {field, max} above `max` characters. */
export function normalizeText(text: string, field: string, max: number): string {
	const value = text.trim();
	if (charCount(value) > max)
		throw new DomainError('member.tooLong', { field, max, value: value.slice(0, 20) });
	return value;
}

/** Trimmed name; throws member.tooLong above 40 characters. An empty name is allowed (支付即会员). */
export function normalizeName(name: string): string {
	return normalizeText(name, 'name', MAX_NAME_LENGTH);
}

/**
 * A birthday as YYYY-MM-DD ('' clears it). Must be a real date from 1900 on and not after today in the chain's
 * time zone; throws member.badBirthday otherwise. A single-digit month or day ("1990-5-1") is padded.
 */
export function normalizeBirthday(
	text: string,
	now: number,
	utcOffsetMinutes = CHINA_UTC_OFFSET_MINUTES
): string {
	const value = text.trim();
	if (value === '') return '';
	const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
	const date = m
		? parseIsoDate(formatIsoDate({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }))
		: undefined;
	if (!date || date.year < MIN_BIRTH_YEAR || compareDates(date, localDate(now, utcOffsetMinutes)) > 0)
		throw new DomainError('member.badBirthday', { value });
	return formatIsoDate(date);
}

/** Throws member.badGender unless it is one of the three stored values. */
export function checkGender(value: unknown): Gender {
	if (typeof value === 'string' && (GENDERS as readonly string[]).includes(value)) return value as Gender;
	throw new DomainError('member.badGender', { value: String(value) });
}

/** Trims, drops empty ones, removes duplicates (first spelling wins); at most 20 tags of at most 20 characters. */
export function normalizeTags(tags: readonly string[]): string[] {
	const out: string[] = [];
	for (const raw of tags) {
		const tag = normalizeText(raw, 'tags', MAX_TAG_LENGTH);
		if (tag !== '' && !out.includes(tag)) out.push(tag);
	}
	if (out.length > MAX_TAGS)
		throw new DomainError('member.tooManyTags', { max: MAX_TAGS, value: out.length });
	return out;
}

/** What the till needs to enrol a member from a phone number alone. */
export interface NewMemberInput {
	id: MemberId;
	code: string;
	phone: string;
	name?: string;
	now: number;
	staffId: string;
	branchId: string;
	entryLevelId: LevelId;
	/** Marketing needs explicit, separate consent (PIPL): default false. */
	marketingConsent?: boolean;
}

/** A new profile at the entry level. Throws member.badPhone / member.tooLong / member.badCode. */
export function newMemberProfile(input: NewMemberInput): MemberProfile {
	checkInstant(input.now, 'now');
	return {
		id: input.id,
		code: checkMemberCode(input.code),
		phone: normalizePhone(input.phone),
		name: normalizeName(input.name ?? ''),
		gender: 'unspecified',
		birthday: '',
		address: '',
		tags: [],
		notes: '',
		homeBranchId: input.branchId,
		marketingConsent: input.marketingConsent ?? false,
		levelId: input.entryLevelId,
		levelSince: input.now,
		enrolledAt: input.now,
		enrolledBy: input.staffId,
		updatedAt: input.now
	};
}

/**
 * Fields staff may edit. Level, code, id and enrolment facts are not here: the level changes only by evaluation
 * (levels.ts) and the rest never changes.
 */
export type ProfilePatch = Partial<
	Pick<
		MemberProfile,
		| 'phone'
		| 'name'
		| 'gender'
		| 'birthday'
		| 'address'
		| 'tags'
		| 'notes'
		| 'marketingConsent'
		| 'homeBranchId'
	>
>;

const PATCH_FIELDS = [
	'phone',
	'name',
	'gender',
	'birthday',
	'address',
	'tags',
	'notes',
	'marketingConsent',
	'homeBranchId'
] as const satisfies readonly (keyof ProfilePatch)[];

function display(value: MemberProfile[keyof MemberProfile]): string {
	if (Array.isArray(value)) return value.join(', ');
	return value === undefined ? '' : String(value);
}

/**
 * Applies a staff edit: validates and normalises every patched field (throwing the first problem, in field
 * order), and returns the new profile plus one ProfileChange per field that really changed (old -> new as
 * display strings). Nothing changed -> the same profile and no changes. An anonymized profile refuses every edit
 * (member.anonymized). Phone uniqueness in the chain is the caller's check (it needs the member index).
 */
export function updateProfile(
	profile: MemberProfile,
	patch: ProfilePatch,
	staffId: string,
	now: number,
	newId: () => string,
	utcOffsetMinutes = CHINA_UTC_OFFSET_MINUTES
): { profile: MemberProfile; changes: ProfileChange[] } {
	if (profile.anonymizedAt !== undefined)
		throw new DomainError('member.anonymized', { memberId: profile.id });
	checkInstant(now, 'now');
	const next: MemberProfile = { ...profile };
	if (patch.phone !== undefined) next.phone = normalizePhone(patch.phone);
	if (patch.name !== undefined) next.name = normalizeName(patch.name);
	if (patch.gender !== undefined) next.gender = checkGender(patch.gender);
	if (patch.birthday !== undefined) next.birthday = normalizeBirthday(patch.birthday, now, utcOffsetMinutes);
	if (patch.address !== undefined) next.address = normalizeText(patch.address, 'address', MAX_ADDRESS_LENGTH);
	if (patch.tags !== undefined) next.tags = normalizeTags(patch.tags);
	if (patch.notes !== undefined) next.notes = normalizeText(patch.notes, 'notes', MAX_NOTES_LENGTH);
	if (patch.marketingConsent !== undefined) next.marketingConsent = patch.marketingConsent === true;
	if (patch.homeBranchId !== undefined) next.homeBranchId = patch.homeBranchId;

	const changes: ProfileChange[] = [];
	for (const field of PATCH_FIELDS) {
		const from = display(profile[field]);
		const to = display(next[field]);
		if (from !== to) changes.push({ id: newId(), memberId: profile.id, field, from, to, staffId, at: now });
	}
	if (changes.length === 0) return { profile, changes };
	next.updatedAt = now;
	return { profile: next, changes };
}

/** Complete enough for a 完善资料 reward: phone, name, gender and birthday all filled in. */
export function isProfileComplete(profile: MemberProfile): boolean {
	return (
		profile.anonymizedAt === undefined &&
		profile.phone !== '' &&
		profile.name !== '' &&
		profile.gender !== 'unspecified' &&
		profile.birthday !== ''
	);
}

/** This year's birthday (month, day); a 29 February birthday falls on 28 February in other years. */
function birthdayIn(year: number, birthday: string): LocalDate | undefined {
	const date = parseIsoDate(birthday);
	if (!date) return undefined;
	if (date.month === 2 && date.day === 29 && !isLeapYear(year)) return { year, month: 2, day: 28 };
	return { year, month: date.month, day: date.day };
}

export function isBirthdayToday(
	profile: MemberProfile,
	now: number,
	utcOffsetMinutes = CHINA_UTC_OFFSET_MINUTES
): boolean {
	const today = localDate(now, utcOffsetMinutes);
	const birthday = birthdayIn(today.year, profile.birthday);
	return birthday !== undefined && compareDates(birthday, today) === 0;
}

export function isBirthdayThisMonth(
	profile: MemberProfile,
	now: number,
	utcOffsetMinutes = CHINA_UTC_OFFSET_MINUTES
): boolean {
	const today = localDate(now, utcOffsetMinutes);
	return birthdayIn(today.year, profile.birthday)?.month === today.month;
}

/**
 * PIPL deletion: blanks every personal field and withdraws marketing consent. id, code, level and enrolment facts
 * stay, so sales, points and stored-value ledgers still add up to the fen. Anonymizing twice changes nothing.
 */
export function anonymize(profile: MemberProfile, now: number): MemberProfile {
	if (profile.anonymizedAt !== undefined) return profile;
	checkInstant(now, 'now');
	return {
		...profile,
		phone: '',
		name: '',
		gender: 'unspecified',
		birthday: '',
		address: '',
		tags: [],
		notes: '',
		marketingConsent: false,
		anonymizedAt: now,
		updatedAt: now
	};
}

const PERSONAL_FIELDS: ReadonlySet<keyof MemberProfile> = new Set([
	'phone',
	'name',
	'gender',
	'birthday',
	'address',
	'tags',
	'notes'
]);

/** The change history of a deleted member with the personal values blanked (who changed what, when, stays). */
export function anonymizeChanges(changes: readonly ProfileChange[]): ProfileChange[] {
	return changes.map((c) => (PERSONAL_FIELDS.has(c.field) ? { ...c, from: '', to: '' } : c));
}

/** Codes we accept, from us or from another system's cards: letters, digits, - and _, at most 32. */
const CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** Trimmed member code; throws member.badCode. */
export function checkMemberCode(code: string): string {
	const value = code.trim();
	if (!CODE.test(value)) throw new DomainError('member.badCode', { value: code });
	return value;
}

/** Where a new member code comes from. */
export type MemberCodeSource =
	/** A sequence the caller keeps unique (e.g. per device, with a device prefix): "M0001234". */
	| { seq: number; prefix?: string }
	/** Offline enrolment on any device: "M" + 12 random digits (collisions stay unlikely at millions of members). */
	| { random: () => number; prefix?: string };

/**
 * A new member code. The "M" prefix keeps codes apart from phone numbers and product barcodes at the scanner.
 * Throws member.badCode for a bad sequence number, prefix or random source.
 */
export function memberCode(source: MemberCodeSource): string {
	const prefix = source.prefix ?? 'M';
	if (!/^[A-Za-z][A-Za-z0-9-]{0,7}$/.test(prefix)) throw new DomainError('member.badCode', { value: prefix });
	if ('seq' in source) {
		if (!Number.isSafeInteger(source.seq) || source.seq < 1)
			throw new DomainError('member.badCode', { value: String(source.seq) });
		return prefix + String(source.seq).padStart(7, '0');
	}
	let digits = '';
	for (let i = 0; i < 12; i += 1) {
		const r = source.random();
		if (!(r >= 0 && r < 1)) throw new DomainError('member.badCode', { value: String(r) });
		digits += String(Math.floor(r * 10));
	}
	return checkMemberCode(prefix + digits);
}
