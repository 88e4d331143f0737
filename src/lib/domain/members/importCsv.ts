/**
 * Member import from another system's CSV export (export: exportCsv.ts, re-exported here).
 *
 * Import rules (the owner reviews the result before anything is committed; nothing is written here):
 * - Each row is checked whole: a row with any problem (bad phone, birthday, gender, date, negative or malformed
 *   balance, unknown level, card number in use) yields one error per problem and no member.
 * - A phone already in the chain, or repeated in the file, is a duplicate: the row is listed (with its balances,
 *   so no money goes unnoticed) and never merged into the other member. Within the file the first row wins; a
 *   first row that fails still claims its phone, so fixing it and importing again gives the same answer.
 * - Imported members get marketingConsent false (the old system's consent does not carry over under PIPL) and
 *   levelSince = import time, so a level carried over lasts at least one grace period before any downgrade.
 * - Balances come back as openingBalances for the ledger to book; stored value counts as principal.
 */
import type { LevelId } from '../catalog';
import type { ImportError } from '../catalogImport';
import { parseCsv, type CsvRecord } from '../csv';
import { DomainError, type DomainErrorCode, type DomainErrorParams } from '../errors';
import { parseYuan, ZERO, type Fen } from '../money';
import {
	CHINA_UTC_OFFSET_MINUTES,
	checkInstant,
	compareDates,
	formatIsoDate,
	fromLocal,
	localDate,
	parseLooseDateTime
} from './dates';
import {
	MEMBER_IMPORT_FIELDS,
	suggestMapping,
	type MemberImportField,
	type MemberImportMapping
} from './importMapping';
import {
	MAX_ADDRESS_LENGTH,
	MAX_NOTES_LENGTH,
	MIN_BIRTH_YEAR,
	checkMemberCode,
	normalizeName,
	normalizePhone,
	normalizeTags,
	normalizeText
} from './profile';
import type { Gender, MemberId, MemberProfile } from './types';

export { MEMBER_IMPORT_FIELDS, suggestMapping, type MemberImportField, type MemberImportMapping };
export {
	exportMembersCsv,
	MEMBER_EXPORT_HEADERS,
	type ExportMembersOptions,
	type MemberBalance
} from './exportCsv';
export type { ImportError };

export interface MemberImportContext {
	/** Normalised phone -> member id, for every member of the chain. */
	existingPhones: ReadonlyMap<string, MemberId>;
	/** Member codes already in the chain. */
	existingCodes?: ReadonlySet<string>;
	/** Level name (as the file writes it; matched trimmed and case-insensitively) or id -> level id. */
	levelsByName: ReadonlyMap<string, LevelId>;
	/** For rows without a level. */
	entryLevelId: LevelId;
	newId: () => string;
	/** A code for rows without a card number (e.g. memberCode({ random })). */
	newCode: () => string;
	now: number;
	staffId: string;
	/** Home branch of the imported members. */
	branchId: string;
	/** For dates in the file; default Beijing time. */
	utcOffsetMinutes?: number;
}

export interface OpeningBalance {
	memberId: MemberId;
	points: number;
	storedValueFen: Fen;
}

export interface MemberDuplicate {
	line: number;
	phone: string;
	/** The member already in the chain with this phone. */
	existingMemberId?: MemberId;
	/** The earlier line of this file with this phone. */
	firstLine?: number;
	/** What the row carried, so the owner can move it by hand (0 when none). */
	points: number;
	storedValueFen: Fen;
}

export interface MemberImportResult {
	members: MemberProfile[];
	/** Only for members with points or stored value above zero. */
	openingBalances: OpeningBalance[];
	errors: ImportError[];
	duplicates: MemberDuplicate[];
}

const GENDER_WORDS: Record<string, Gender> = {
	男: 'male',
	男士: 'male',
	先生: 'male',
	m: 'male',
	male: 'male',
	女: 'female',
	女士: 'female',
	f: 'female',
	female: 'female',
	'': 'unspecified',
	未知: 'unspecified',
	保密: 'unspecified',
	unknown: 'unspecified',
	u: 'unspecified'
};

function parseGender(text: string): Gender {
	const key = text.trim().toLowerCase();
	if (!Object.hasOwn(GENDER_WORDS, key)) throw new DomainError('member.badGender', { value: text });
	return GENDER_WORDS[key] as Gender;
}

/** Whole, non-negative points: "1,200", "1200.00" and "1200" are fine; "-5" and "1.5" are not. */
function parsePoints(text: string): number {
	const m = /^(\d{1,15})(?:\.0*)?$/.exec(text.replaceAll(',', '').trim());
	const points = m ? Number(m[1]) : NaN;
	if (!Number.isSafeInteger(points))
		throw new DomainError('member.badBalance', { field: 'points', value: text });
	return points;
}

/** Non-negative yuan as parseYuan reads it ("¥1,200.50", "12.5元"). */
function parseStoredValue(text: string): Fen {
	try {
		return parseYuan(text.trim().replace(/元$/, ''));
	} catch {
		throw new DomainError('member.badBalance', { field: 'storedValue', value: text });
	}
}

/** A birthday in any common spelling (a "00:00:00" time is ignored); blank and 0000-00-00 mean none. */
function parseImportBirthday(text: string, now: number, offset: number): string {
	const value = text.trim();
	if (value === '' || /^0000-00-00/.test(value)) return '';
	const parsed = parseLooseDateTime(value);
	if (
		!parsed ||
		parsed.seconds !== 0 ||
		parsed.date.year < MIN_BIRTH_YEAR ||
		compareDates(parsed.date, localDate(now, offset)) > 0
	)
		throw new DomainError('member.badBirthday', { value });
	return formatIsoDate(parsed.date);
}

function parseEnrolledAt(text: string, now: number, offset: number): number {
	const value = text.trim();
	if (value === '') return now;
	const parsed = parseLooseDateTime(value);
	const at = parsed && parsed.date.year >= 1970 ? fromLocal(parsed.date, offset, 0, 0, parsed.seconds) : NaN;
	if (!(at <= now)) throw new DomainError('member.badDate', { field: 'enrolledAt', value });
	return at;
}

function badMapping(line: number, field: string, column: number, width: number): ImportError {
	const value = `${field} -> ${column + 1}`;
	return { line, code: 'csv.badHeader', params: { line, value, column: field, expected: `1-${width}` } };
}

/**
 * Imports data rows. `records[0]` is the header row (only its width and line are used; the mapping says which
 * column is which). See the module comment for the rules.
 */
export function importMembers(
	records: readonly CsvRecord[],
	mapping: MemberImportMapping,
	ctx: MemberImportContext
): MemberImportResult {
	checkInstant(ctx.now, 'now');
	const offset = ctx.utcOffsetMinutes ?? CHINA_UTC_OFFSET_MINUTES;
	const result: MemberImportResult = { members: [], openingBalances: [], errors: [], duplicates: [] };
	const [header, ...rows] = records;
	const headerLine = header?.line ?? 1;
	const width = header?.fields.length ?? 0;
	if (mapping.phone === undefined) {
		result.errors.push({ line: headerLine, code: 'member.noPhoneColumn', params: { line: headerLine } });
		return result;
	}
	for (const field of MEMBER_IMPORT_FIELDS) {
		const column = mapping[field];
		if (column !== undefined && !(Number.isSafeInteger(column) && column >= 0 && column < width))
			result.errors.push(badMapping(headerLine, field, column, width));
	}
	if (result.errors.length > 0) return result;

	const levels = new Map<string, LevelId>();
	for (const [name, id] of ctx.levelsByName) levels.set(name.trim().toLowerCase(), id);
	for (const id of ctx.levelsByName.values())
		if (!levels.has(id.toLowerCase())) levels.set(id.toLowerCase(), id);
	const phoneLines = new Map<string, number>();
	const codeLines = new Map<string, number>();
	// Every card number in the file, so a generated code can never take one a later row brings.
	const fileCodes = new Set<string>();
	if (mapping.code !== undefined) for (const r of rows) fileCodes.add((r.fields[mapping.code] ?? '').trim());

	for (const record of rows) {
		const { line } = record;
		if (record.fields.length !== width) {
			const params = { line, expected: width, actual: record.fields.length };
			result.errors.push({ line, code: 'csv.wrongFieldCount', params });
			continue;
		}
		const get = (field: MemberImportField) => {
			const column = mapping[field];
			return column === undefined ? '' : (record.fields[column] ?? '');
		};
		if (MEMBER_IMPORT_FIELDS.every((field) => get(field).trim() === '')) continue;

		const rowErrors: ImportError[] = [];
		const problem = (field: MemberImportField, code: DomainErrorCode, params: DomainErrorParams) =>
			rowErrors.push({ line, field, code, params: { line, field, ...params } });
		function read<T>(field: MemberImportField, parse: (text: string) => T, fallback: T): T {
			try {
				return parse(get(field));
			} catch (e) {
				if (!(e instanceof DomainError)) throw e;
				problem(field, e.code, e.params);
				return fallback;
			}
		}

		const phone = read('phone', normalizePhone, '');
		const code = read('code', (t) => (t.trim() === '' ? '' : checkMemberCode(t)), '');
		const name = read('name', normalizeName, '');
		const gender = read('gender', parseGender, 'unspecified');
		const birthday = read('birthday', (t) => parseImportBirthday(t, ctx.now, offset), '');
		const points = read('points', (t) => (t.trim() === '' ? 0 : parsePoints(t)), 0);
		const storedValueFen = read('storedValue', (t) => (t.trim() === '' ? ZERO : parseStoredValue(t)), ZERO);
		const levelId = read(
			'level',
			(t) => {
				if (t.trim() === '') return ctx.entryLevelId;
				const id = levels.get(t.trim().toLowerCase());
				if (id === undefined) throw new DomainError('member.unknownLevel', { value: t.trim() });
				return id;
			},
			ctx.entryLevelId
		);
		const address = read('address', (t) => normalizeText(t, 'address', MAX_ADDRESS_LENGTH), '');
		const tags = read('tags', (t) => normalizeTags(t.split(/[,，;；、|]/)), [] as string[]);
		const notes = read('notes', (t) => normalizeText(t, 'notes', MAX_NOTES_LENGTH), '');
		const enrolledAt = read('enrolledAt', (t) => parseEnrolledAt(t, ctx.now, offset), ctx.now);

		if (code !== '') {
			const firstLine = codeLines.get(code);
			const inChain = ctx.existingCodes?.has(code) === true;
			if (inChain || firstLine !== undefined)
				problem(
					'code',
					'member.duplicateCode',
					firstLine === undefined ? { value: code } : { value: code, firstLine }
				);
			if (firstLine === undefined) codeLines.set(code, line);
		}
		const firstPhoneLine = phone === '' ? undefined : phoneLines.get(phone);
		if (phone !== '' && firstPhoneLine === undefined) phoneLines.set(phone, line);
		if (rowErrors.length > 0) {
			result.errors.push(...rowErrors);
			continue;
		}
		const existingMemberId = ctx.existingPhones.get(phone);
		if (existingMemberId !== undefined || firstPhoneLine !== undefined) {
			const duplicate: MemberDuplicate = { line, phone, points, storedValueFen };
			if (existingMemberId !== undefined) duplicate.existingMemberId = existingMemberId;
			if (firstPhoneLine !== undefined) duplicate.firstLine = firstPhoneLine;
			result.duplicates.push(duplicate);
			continue;
		}

		const memberCode = code !== '' ? code : newCodeFor(ctx, fileCodes, codeLines, line);
		const id = ctx.newId();
		result.members.push({
			id,
			code: memberCode,
			phone,
			name,
			gender,
			birthday,
			address,
			tags,
			notes,
			homeBranchId: ctx.branchId,
			marketingConsent: false,
			levelId,
			levelSince: ctx.now,
			enrolledAt,
			enrolledBy: ctx.staffId,
			updatedAt: ctx.now
		});
		if (points > 0 || storedValueFen > 0)
			result.openingBalances.push({ memberId: id, points, storedValueFen });
	}
	return result;
}

/** A generated code no chain member, no file row and no earlier import row has. */
function newCodeFor(
	ctx: MemberImportContext,
	fileCodes: ReadonlySet<string>,
	codeLines: Map<string, number>,
	line: number
): string {
	for (let attempt = 0; attempt < 10; attempt += 1) {
		const code = checkMemberCode(ctx.newCode());
		if (ctx.existingCodes?.has(code) || fileCodes.has(code) || codeLines.has(code)) continue;
		codeLines.set(code, line);
		return code;
	}
	throw new DomainError('member.duplicateCode', { value: '', line });
}

/**
 * Parses CSV text and imports it with `mapping` (default: suggestMapping of the header row). A CSV syntax error
 * becomes the single error of the result.
 */
export function importMembersCsv(
	text: string,
	ctx: MemberImportContext,
	mapping?: MemberImportMapping
): MemberImportResult & { mapping: MemberImportMapping } {
	let records: CsvRecord[];
	try {
		records = parseCsv(text);
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		const line = typeof e.params.line === 'number' ? e.params.line : 1;
		const error = { line, code: e.code, params: e.params };
		return { members: [], openingBalances: [], errors: [error], duplicates: [], mapping: mapping ?? {} };
	}
	const used = mapping ?? suggestMapping(records[0]?.fields ?? []);
	return { ...importMembers(records, used, ctx), mapping: used };
}
