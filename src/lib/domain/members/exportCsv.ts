/**
 * Member export as CSV for the owner (Excel opens it directly). The default Chinese headers are the ones the
 * member import recognises, so an export can be imported into another chain unchanged.
 */
import type { LevelId } from '../catalog';
import { toCsv } from '../csv';
import { DomainError } from '../errors';
import { toDecimalString, ZERO, type Fen } from '../money';
import { CHINA_UTC_OFFSET_MINUTES, formatLocalDateTime } from './dates';
import { maskPhone } from './profile';
import type { Gender, MemberId, MemberProfile } from './types';

export interface MemberBalance {
	points: number;
	storedValueFen: Fen;
}

export interface ExportMembersOptions {
	/** 138****1234 instead of the full number (for anything that leaves the owner's hands). */
	maskPhones: boolean;
	utcOffsetMinutes?: number;
	/** Column titles (default Chinese, which suggestMapping reads back). */
	headers?: readonly string[];
}

/** Default export header: the import recognises every one of these. */
export const MEMBER_EXPORT_HEADERS = [
	'会员卡号',
	'手机号',
	'姓名',
	'性别',
	'生日',
	'等级',
	'积分',
	'储值余额',
	'地址',
	'标签',
	'备注',
	'注册时间'
] as const;

const GENDER_LABEL: Record<Gender, string> = { male: '男', female: '女', unspecified: '' };

/**
 * Members as CSV (with BOM, for Excel), one row per profile in the given order, balances from the ledgers
 * (missing = 0). Anonymized members are included with their blank fields: their stored value is still owed.
 */
export function exportMembersCsv(
	profiles: readonly MemberProfile[],
	balances: ReadonlyMap<MemberId, MemberBalance>,
	levelNames: ReadonlyMap<LevelId, string>,
	options: ExportMembersOptions
): string {
	const offset = options.utcOffsetMinutes ?? CHINA_UTC_OFFSET_MINUTES;
	const headers = options.headers ?? MEMBER_EXPORT_HEADERS;
	if (headers.length !== MEMBER_EXPORT_HEADERS.length)
		throw new DomainError('csv.badHeader', {
			value: headers.join(','),
			expected: MEMBER_EXPORT_HEADERS.join(',')
		});
	const rows = profiles.map((p) => {
		const balance = balances.get(p.id);
		return [
			p.code,
			options.maskPhones ? maskPhone(p.phone) : p.phone,
			p.name,
			GENDER_LABEL[p.gender],
			p.birthday,
			levelNames.get(p.levelId) ?? p.levelId,
			balance?.points ?? 0,
			toDecimalString(balance?.storedValueFen ?? ZERO),
			p.address,
			p.tags.join('、'),
			p.notes,
			formatLocalDateTime(p.enrolledAt, offset)
		];
	});
	return toCsv([headers, ...rows]);
}
