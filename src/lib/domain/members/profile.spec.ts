/** Table-driven profile cases: phones, enrolment, audited edits, birthdays, PIPL deletion and member codes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../errors';
import {
	anonymize,
	anonymizeChanges,
	isBirthdayThisMonth,
	isBirthdayToday,
	isProfileComplete,
	maskPhone,
	memberCode,
	newMemberProfile,
	normalizePhone,
	updateProfile,
	type ProfilePatch
} from './profile';
import type { MemberProfile } from './types';

/** 2026-11-22 12:00 Beijing. */
const NOW = Date.UTC(2026, 10, 22, 4);
const at = (iso: string) => Date.parse(iso);

function member(over: Partial<MemberProfile> = {}): MemberProfile {
	return {
		...newMemberProfile({
			id: 'm1',
			code: 'M0000001',
			phone: '13812341234',
			now: 1000,
			staffId: 's1',
			branchId: 'b1',
			entryLevelId: 'normal'
		}),
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

describe('normalizePhone', () => {
	const ok: [string, string][] = [
		['13812345678', '13812345678'],
		[' 138 1234 5678 ', '13812345678'],
		['138-1234-5678', '13812345678'],
		['+86 138 1234 5678', '13812345678'],
		['+86-13812345678', '13812345678'],
		['008613812345678', '13812345678'],
		['8613812345678', '13812345678'],
		['１３８１２３４５６７８', '13812345678'],
		['(138)1234.5678', '13812345678'],
		['19912345678', '19912345678'],
		['13012345678', '13012345678']
	];
	it.each(ok)('%j -> %s', (input, expected) => expect(normalizePhone(input)).toBe(expected));

	const bad = [
		'',
		'1381234567', // 10 digits
		'138123456789', // 12 digits
		'12812345678', // 12x is not a mobile prefix
		'23812345678',
		'02112345678', // landline
		'+85291234567', // Hong Kong
		'138 1234 567a',
		'+8613812345678x',
		'86 12812345678'
	];
	it.each(bad)('%j is member.badPhone', (input) => {
		expect(codeOf(() => normalizePhone(input))).toBe('member.badPhone');
	});
});

describe('maskPhone', () => {
	it.each([
		['13812341234', '138****1234'],
		['', ''],
		['123', '***'],
		['12345678', '****5678']
	])('%j -> %j', (phone, masked) => expect(maskPhone(phone)).toBe(masked));
});

describe('newMemberProfile (支付即会员)', () => {
	it('needs only a phone, starts at the entry level without marketing consent', () => {
		expect(member()).toEqual({
			id: 'm1',
			code: 'M0000001',
			phone: '13812341234',
			name: '',
			gender: 'unspecified',
			birthday: '',
			address: '',
			tags: [],
			notes: '',
			homeBranchId: 'b1',
			marketingConsent: false,
			levelId: 'normal',
			levelSince: 1000,
			enrolledAt: 1000,
			enrolledBy: 's1',
			updatedAt: 1000
		});
	});

	const base = {
		id: 'm',
		code: 'M1',
		phone: '138 1234 1234',
		now: 1,
		staffId: 's',
		branchId: 'b',
		entryLevelId: 'n'
	};
	it.each([
		['normalises the phone and trims the name', { name: ' 张三 ' }, { phone: '13812341234', name: '张三' }],
		['keeps explicit consent', { marketingConsent: true }, { marketingConsent: true }]
	])('%s', (_, over, expected) => {
		expect(newMemberProfile({ ...base, ...over })).toMatchObject(expected);
	});
	it.each([
		['bad phone', { phone: '12345' }, 'member.badPhone'],
		['name over 40 characters', { name: '张'.repeat(41) }, 'member.tooLong'],
		['bad code', { code: 'M 1' }, 'member.badCode']
	])('refuses %s', (_, over, code) => {
		expect(codeOf(() => newMemberProfile({ ...base, ...over }))).toBe(code);
	});
	it('counts a rare character (surrogate pair) as one', () => {
		expect(newMemberProfile({ ...base, name: '𠀀'.repeat(40) }).name).toHaveLength(80);
	});
});

describe('updateProfile', () => {
	let n = 0;
	const newId = () => `c${++n}`;
	const cases: {
		name: string;
		patch: ProfilePatch;
		expect?: Partial<MemberProfile>;
		changes?: [string, string, string][];
		error?: string;
	}[] = [
		{
			name: 'name and birthday, with history',
			patch: { name: '李四', birthday: '1990-05-01' },
			expect: { name: '李四', birthday: '1990-05-01', updatedAt: NOW },
			changes: [
				['name', '', '李四'],
				['birthday', '', '1990-05-01']
			]
		},
		{ name: 'pads a short birthday', patch: { birthday: '1990-5-1' }, expect: { birthday: '1990-05-01' } },
		{ name: 'birthday today is fine', patch: { birthday: '2026-11-22' }, expect: { birthday: '2026-11-22' } },
		{ name: 'clearing the birthday', patch: { birthday: '' }, changes: [] },
		{ name: 'birthday tomorrow', patch: { birthday: '2026-11-23' }, error: 'member.badBirthday' },
		{ name: 'birthday 30 February', patch: { birthday: '1990-02-30' }, error: 'member.badBirthday' },
		{
			name: 'birthday 29 Feb of a non-leap year',
			patch: { birthday: '1990-02-29' },
			error: 'member.badBirthday'
		},
		{
			name: 'birthday 29 Feb of a leap year',
			patch: { birthday: '1992-02-29' },
			expect: { birthday: '1992-02-29' }
		},
		{ name: 'birthday before 1900', patch: { birthday: '1899-12-31' }, error: 'member.badBirthday' },
		{ name: 'birthday in another format', patch: { birthday: '1990/05/01' }, error: 'member.badBirthday' },
		{ name: 'gender', patch: { gender: 'female' }, changes: [['gender', 'unspecified', 'female']] },
		{ name: 'unknown gender', patch: { gender: 'x' as never }, error: 'member.badGender' },
		{
			name: 'tags trimmed and deduped',
			patch: { tags: [' VIP ', 'VIP', '', '老客'] },
			expect: { tags: ['VIP', '老客'] },
			changes: [['tags', '', 'VIP, 老客']]
		},
		{ name: '20 tags', patch: { tags: Array.from({ length: 20 }, (_, i) => `t${i}`) } },
		{
			name: '21 tags',
			patch: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
			error: 'member.tooManyTags'
		},
		{
			name: '21 tags that dedupe to 20',
			patch: { tags: [...Array.from({ length: 20 }, (_, i) => `t${i}`), 't0'] }
		},
		{ name: 'name of 40 characters', patch: { name: '王'.repeat(40) } },
		{ name: 'name of 41 characters', patch: { name: '王'.repeat(41) }, error: 'member.tooLong' },
		{ name: 'address too long', patch: { address: 'x'.repeat(201) }, error: 'member.tooLong' },
		{ name: 'notes too long', patch: { notes: 'x'.repeat(501) }, error: 'member.tooLong' },
		{ name: 'new phone normalised', patch: { phone: '139-0000-1111' }, expect: { phone: '13900001111' } },
		{ name: 'bad phone', patch: { phone: '110' }, error: 'member.badPhone' },
		{
			name: 'same values: no change',
			patch: { phone: '138 1234 1234', name: '' },
			expect: { updatedAt: 1000 },
			changes: []
		},
		{ name: 'consent', patch: { marketingConsent: true }, changes: [['marketingConsent', 'false', 'true']] }
	];
	it.each(cases)('$name', (c) => {
		const run = () => updateProfile(member(), c.patch, 'staff', NOW, newId);
		if (c.error) {
			expect(codeOf(run)).toBe(c.error);
			return;
		}
		const { profile, changes } = run();
		if (c.expect) expect(profile).toMatchObject(c.expect);
		if (c.changes) expect(changes.map((ch) => [ch.field, ch.from, ch.to])).toEqual(c.changes);
		for (const ch of changes) expect(ch).toMatchObject({ memberId: 'm1', staffId: 'staff', at: NOW });
	});

	it('returns the same object when nothing changed', () => {
		const m = member();
		expect(updateProfile(m, { name: '  ' }, 's', NOW, newId).profile).toBe(m);
	});
	it('the first invalid field stops the edit and nothing changes', () => {
		const m = member();
		expect(codeOf(() => updateProfile(m, { name: '张三', birthday: '2099-01-01' }, 's', NOW, newId))).toBe(
			'member.badBirthday'
		);
		expect(m.name).toBe('');
	});
	it('birthday "today" depends on the time zone', () => {
		const lateUtc = Date.UTC(2026, 10, 22, 20); // 23 Nov 04:00 in Beijing
		expect(updateProfile(member(), { birthday: '2026-11-23' }, 's', lateUtc, newId).profile.birthday).toBe(
			'2026-11-23'
		);
		expect(codeOf(() => updateProfile(member(), { birthday: '2026-11-23' }, 's', lateUtc, newId, 0))).toBe(
			'member.badBirthday'
		);
	});
	it('an anonymized profile refuses edits', () => {
		expect(codeOf(() => updateProfile(anonymize(member(), NOW), { name: 'x' }, 's', NOW, newId))).toBe(
			'member.anonymized'
		);
	});
});

describe('isProfileComplete', () => {
	const full = { name: '张三', gender: 'male', birthday: '1990-01-01' } as const;
	it.each([
		['all filled', full, true],
		['no name', { ...full, name: '' }, false],
		['gender unspecified', { ...full, gender: 'unspecified' as const }, false],
		['no birthday', { ...full, birthday: '' }, false],
		['anonymized', { ...full, anonymizedAt: 5 }, false]
	])('%s -> %s', (_, over, expected) => expect(isProfileComplete(member(over))).toBe(expected));
});

describe('birthdays', () => {
	const cases: [string, string, number, number, boolean, boolean][] = [
		// name, birthday, now, utcOffsetMinutes, today, thisMonth
		['same day', '1990-11-22', NOW, 480, true, true],
		['same month', '1990-11-02', NOW, 480, false, true],
		['other month', '1990-12-22', NOW, 480, false, false],
		['no birthday', '', NOW, 480, false, false],
		['Beijing is already the 23rd', '1990-11-23', at('2026-11-22T16:30:00Z'), 480, true, true],
		['UTC is still the 22nd', '1990-11-23', at('2026-11-22T16:30:00Z'), 0, false, true],
		['month boundary in Beijing', '1990-12-01', at('2026-11-30T16:00:00Z'), 480, true, true],
		['29 Feb on 28 Feb of a non-leap year', '1992-02-29', at('2027-02-28T04:00:00Z'), 480, true, true],
		['29 Feb on 29 Feb of a leap year', '1992-02-29', at('2028-02-29T04:00:00Z'), 480, true, true],
		['29 Feb not on 28 Feb of a leap year', '1992-02-29', at('2028-02-28T04:00:00Z'), 480, false, true]
	];
	it.each(cases)('%s', (_, birthday, now, offset, today, month) => {
		expect(isBirthdayToday(member({ birthday }), now, offset)).toBe(today);
		expect(isBirthdayThisMonth(member({ birthday }), now, offset)).toBe(month);
	});
});

describe('anonymize (PIPL)', () => {
	const full = member({
		name: '张三',
		gender: 'female',
		birthday: '1990-01-01',
		address: '上海',
		notes: '喜欢蓝色',
		tags: ['VIP'],
		marketingConsent: true,
		levelId: 'gold',
		levelSince: 77
	});
	it('blanks personal fields, keeps id, code, level and enrolment', () => {
		const a = anonymize(full, NOW);
		expect(a).toEqual({
			...full,
			phone: '',
			name: '',
			gender: 'unspecified',
			birthday: '',
			address: '',
			notes: '',
			tags: [],
			marketingConsent: false,
			anonymizedAt: NOW,
			updatedAt: NOW
		});
		expect(maskPhone(a.phone)).toBe('');
	});
	it('is idempotent (the first deletion time stays)', () => {
		const once = anonymize(full, NOW);
		expect(anonymize(once, NOW + 5)).toBe(once);
	});
	it('scrubs personal values from the change history', () => {
		const { changes } = updateProfile(full, { name: '李四', marketingConsent: false }, 's', NOW, () => 'c');
		expect(anonymizeChanges(changes).map((c) => [c.field, c.from, c.to])).toEqual([
			['name', '', ''],
			['marketingConsent', 'true', 'false']
		]);
	});
});

describe('memberCode', () => {
	it.each([
		[{ seq: 1234 }, 'M0001234'],
		[{ seq: 1 }, 'M0000001'],
		[{ seq: 123456789 }, 'M123456789'],
		[{ seq: 42, prefix: 'B03-' }, 'B03-0000042']
	])('%j -> %s', (source, code) => expect(memberCode(source)).toBe(code));
	it('random: M + 12 digits from the injected source', () => {
		let i = 0;
		const digits = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0, 0.999];
		expect(memberCode({ random: () => digits[i++] as number })).toBe('M012345678909');
	});
	it.each([
		[{ seq: 0 }],
		[{ seq: 1.5 }],
		[{ seq: 1, prefix: '1' }],
		[{ seq: 1, prefix: 'toolongprefix' }],
		[{ random: () => 1 }],
		[{ random: () => Number.NaN }]
	])('%j is member.badCode', (source) => expect(codeOf(() => memberCode(source))).toBe('member.badCode'));
	it('random codes are never phone numbers and always valid', () => {
		fc.assert(
			fc.property(
				fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 12 }),
				(rs) => {
					let i = 0;
					const code = memberCode({ random: () => rs[i++] as number });
					expect(code).toMatch(/^M\d{12}$/);
					expect(codeOf(() => normalizePhone(code))).toBe('member.badPhone');
				}
			)
		);
	});
});

describe('normalizePhone property', () => {
	it('any formatting of a valid mobile normalises back to it', () => {
		const mobile = fc
			.tuple(
				fc.integer({ min: 3, max: 9 }),
				fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
			)
			.map(([second, rest]) => `1${second}${rest.join('')}`);
		const sep = fc.constantFrom('', ' ', '-', '\u3000');
		fc.assert(
			fc.property(mobile, fc.constantFrom('', '+86', '0086', '+86 '), sep, (phone, prefix, s) => {
				const formatted = `${prefix}${phone.slice(0, 3)}${s}${phone.slice(3, 7)}${s}${phone.slice(7)}`;
				expect(normalizePhone(formatted)).toBe(phone);
			})
		);
	});
});
