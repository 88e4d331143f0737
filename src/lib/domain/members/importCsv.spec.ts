/** Member import/export: header mapping, per-row errors, duplicates, balances, and export -> import round trip. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv } from '../csv';
import { fen } from '../money';
import {
	exportMembersCsv,
	importMembersCsv,
	importMembers,
	suggestMapping,
	type MemberBalance,
	type MemberImportContext,
	type MemberImportMapping
} from './importCsv';
import type { MemberProfile } from './types';

const NOW = Date.UTC(2026, 10, 22, 4);

function ctx(over: Partial<MemberImportContext> = {}): MemberImportContext {
	let id = 0;
	let code = 0;
	return {
		existingPhones: new Map([['13900000000', 'old-1']]),
		existingCodes: new Set(['OLD-CARD']),
		levelsByName: new Map([
			['普通会员', 'normal'],
			['金卡', 'gold'],
			['Silver', 'silver']
		]),
		entryLevelId: 'normal',
		newId: () => `id${++id}`,
		newCode: () => `M${String(++code).padStart(7, '0')}`,
		now: NOW,
		staffId: 'owner',
		branchId: 'b1',
		...over
	};
}

describe('suggestMapping', () => {
	const cases: [string, string[], MemberImportMapping][] = [
		[
			'typical Chinese export',
			[
				'会员卡号',
				'姓名',
				'手机号',
				'性别',
				'生日',
				'会员等级',
				'当前积分',
				'储值余额',
				'地址',
				'备注',
				'注册时间'
			],
			{
				code: 0,
				name: 1,
				phone: 2,
				gender: 3,
				birthday: 4,
				level: 5,
				points: 6,
				storedValue: 7,
				address: 8,
				notes: 9,
				enrolledAt: 10
			}
		],
		[
			'English export',
			[
				'Card No.',
				'Name',
				'Mobile',
				'Gender',
				'Birthday',
				'Level',
				'Points',
				'Balance',
				'Address',
				'Remark',
				'Registered At'
			],
			{
				code: 0,
				name: 1,
				phone: 2,
				gender: 3,
				birthday: 4,
				level: 5,
				points: 6,
				storedValue: 7,
				address: 8,
				notes: 9,
				enrolledAt: 10
			}
		],
		[
			'bracketed notes, BOM and spaces',
			['\uFEFF手机号码(必填)', '余额（元）', ' 会员 姓名 ', '出生日期'],
			{ phone: 0, storedValue: 1, name: 2, birthday: 3 }
		],
		[
			'totals are never balances',
			['手机', '累计积分', '可用积分', '累计消费', '累计充值', '卡内余额'],
			{ phone: 0, points: 2, storedValue: 5 }
		],
		[
			'积分余额 is points, not stored value',
			['电话', '积分余额', '余额'],
			{ phone: 0, points: 1, storedValue: 2 }
		],
		['手机 beats 电话', ['联系电话', '手机'], { phone: 1 }],
		[
			'等级名称 is the level, not the name',
			['等级名称', '会员姓名', 'phone'],
			{ level: 0, name: 1, phone: 2 }
		],
		['身份证号 is not a card number', ['身份证号', '卡号', '手机号'], { code: 1, phone: 2 }],
		['赠送余额 is left to the owner', ['手机号', '赠送余额'], { phone: 0 }],
		['unknown columns are left out', ['微信号', '手机号', '消费次数'], { phone: 1 }],
		['nothing recognisable', ['a', 'b'], {}]
	];
	it.each(cases)('%s', (_, headers, mapping) => expect(suggestMapping(headers)).toEqual(mapping));
});

const HEADER = '会员卡号,手机号,姓名,性别,生日,等级,积分,储值余额,地址,标签,备注,注册时间';
const run = (rows: string[], c = ctx()) => importMembersCsv([HEADER, ...rows].join('\r\n'), c);

describe('importMembers: happy path', () => {
	it('builds profiles and opening balances', () => {
		const result = run([
			'C-001,138 1234 5678,张三,男,1990/5/1,金卡,"1,200","¥1,234.50",上海市,VIP、老客,喜欢蓝色,2019-03-08 14:20',
			',+86 139-1111-2222,,,,,,,,,,'
		]);
		expect(result.errors).toEqual([]);
		expect(result.duplicates).toEqual([]);
		expect(result.members).toEqual([
			{
				id: 'id1',
				code: 'C-001',
				phone: '13812345678',
				name: '张三',
				gender: 'male',
				birthday: '1990-05-01',
				address: '上海市',
				tags: ['VIP', '老客'],
				notes: '喜欢蓝色',
				homeBranchId: 'b1',
				marketingConsent: false,
				levelId: 'gold',
				levelSince: NOW,
				enrolledAt: Date.parse('2019-03-08T14:20:00+08:00'),
				enrolledBy: 'owner',
				updatedAt: NOW
			},
			expect.objectContaining({
				id: 'id2',
				code: 'M0000001',
				phone: '13911112222',
				levelId: 'normal',
				enrolledAt: NOW
			})
		]);
		expect(result.openingBalances).toEqual([{ memberId: 'id1', points: 1200, storedValueFen: 123450 }]);
	});

	it.each([
		['女', 'female'],
		['F', 'female'],
		['male', 'male'],
		['保密', 'unspecified'],
		['', 'unspecified']
	])('gender %j -> %s', (text, gender) => {
		expect(run([`,13812345678,,${text},,,,,,,,`]).members[0]?.gender).toBe(gender);
	});

	it.each([
		['1990-05-01', '1990-05-01'],
		['1990/5/1', '1990-05-01'],
		['1990.05.01', '1990-05-01'],
		['19900501', '1990-05-01'],
		['1990年5月1日', '1990-05-01'],
		['1990-05-01 00:00:00', '1990-05-01'],
		['0000-00-00', '']
	])('birthday %j -> %j', (text, birthday) => {
		expect(run([`,13812345678,,,${text},,,,,,,`]).members[0]?.birthday).toBe(birthday);
	});

	it('level names match case-insensitively, and level ids work too', () => {
		const r = run([',13800000001,,,,silver,,,,,,', ',13800000002,,,,gold,,,,,,']);
		expect(r.members.map((m) => m.levelId)).toEqual(['silver', 'gold']);
	});

	it('skips rows that are blank in every column', () => {
		expect(run([',,,,,,,,,,,', ',13812345678,,,,,,,,,,']).members).toHaveLength(1);
	});

	it('a custom mapping reads only the mapped columns', () => {
		const records = parseCsv('x,tel,ignored\n1,13812345678,not a date');
		const r = importMembers(records, { phone: 1 }, ctx());
		expect(r.errors).toEqual([]);
		expect(r.members[0]).toMatchObject({ phone: '13812345678', code: 'M0000001' });
	});
});

describe('importMembers: a malformed row imports nothing', () => {
	const cases: [string, string, [string, string][]][] = [
		['bad phone', ',1381234567,,,,,,,,,,', [['phone', 'member.badPhone']]],
		['missing phone', ',,张三,,,,,,,,,', [['phone', 'member.badPhone']]],
		['birthday in the future', ',13812345678,,,2027-01-01,,,,,,,', [['birthday', 'member.badBirthday']]],
		['impossible birthday', ',13812345678,,,1990-02-30,,,,,,,', [['birthday', 'member.badBirthday']]],
		['birthday with only month and day', ',13812345678,,,05-01,,,,,,,', [['birthday', 'member.badBirthday']]],
		['negative points', ',13812345678,,,,,-5,,,,,', [['points', 'member.badBalance']]],
		['fractional points', ',13812345678,,,,,1.5,,,,,', [['points', 'member.badBalance']]],
		['negative balance', ',13812345678,,,,,,-10.00,,,,', [['storedValue', 'member.badBalance']]],
		['balance with 3 decimals', ',13812345678,,,,,,1.234,,,,', [['storedValue', 'member.badBalance']]],
		['unknown gender', ',13812345678,,X,,,,,,,,', [['gender', 'member.badGender']]],
		['unknown level', ',13812345678,,,,钻石卡,,,,,,', [['level', 'member.unknownLevel']]],
		['card number in use', 'OLD-CARD,13812345678,,,,,,,,,,', [['code', 'member.duplicateCode']]],
		['card number with a space', 'A 1,13812345678,,,,,,,,,,', [['code', 'member.badCode']]],
		['future enrolment', ',13812345678,,,,,,,,,,2030-01-01', [['enrolledAt', 'member.badDate']]],
		['name too long', `,13812345678,${'名'.repeat(41)},,,,,,,,,`, [['name', 'member.tooLong']]],
		[
			'every problem at once',
			',12345,,?,1990-13-01,,x,y,,,,',
			[
				['phone', 'member.badPhone'],
				['gender', 'member.badGender'],
				['birthday', 'member.badBirthday'],
				['points', 'member.badBalance'],
				['storedValue', 'member.badBalance']
			]
		]
	];
	it.each(cases)('%s', (_, row, problems) => {
		const r = run([row]);
		expect(r.members).toEqual([]);
		expect(r.openingBalances).toEqual([]);
		expect(r.errors.map((e) => [e.field, e.code])).toEqual(problems);
		for (const e of r.errors) expect(e).toMatchObject({ line: 2, params: { line: 2, field: e.field } });
	});

	it('a row with the wrong number of columns', () => {
		expect(run([',13812345678']).errors).toEqual([
			{ line: 2, code: 'csv.wrongFieldCount', params: { line: 2, expected: 12, actual: 2 } }
		]);
	});
	it('no phone column', () => {
		const r = importMembersCsv('姓名,积分\n张三,5', ctx());
		expect(r.errors.map((e) => e.code)).toEqual(['member.noPhoneColumn']);
	});
	it('a mapping outside the file', () => {
		const r = importMembers(parseCsv('a,b\n1,2'), { phone: 0, name: 5 }, ctx());
		expect(r.errors.map((e) => [e.code, e.params.value])).toEqual([['csv.badHeader', 'name -> 6']]);
	});
	it('a CSV syntax error is the only error', () => {
		expect(importMembersCsv('手机号\n"138', ctx()).errors.map((e) => [e.line, e.code])).toEqual([
			[2, 'csv.unterminatedQuote']
		]);
	});
});

describe('importMembers: duplicates are reported, never merged', () => {
	it('a phone already in the chain', () => {
		const r = run([',139 0000 0000,王五,,,,300,50,,,,']);
		expect(r.members).toEqual([]);
		expect(r.duplicates).toEqual([
			{ line: 2, phone: '13900000000', existingMemberId: 'old-1', points: 300, storedValueFen: fen(5000) }
		]);
	});
	it('a phone repeated in the file: the first row wins, later rows keep their balances in the report', () => {
		const r = run([
			',13812345678,甲,,,,10,,,,,',
			'C2,138-1234-5678,乙,,,,20,99,,,,',
			',13812345678,丙,,,,,,,,,'
		]);
		expect(r.members.map((m) => m.name)).toEqual(['甲']);
		expect(r.openingBalances).toEqual([{ memberId: 'id1', points: 10, storedValueFen: 0 }]);
		expect(r.duplicates).toEqual([
			{ line: 3, phone: '13812345678', firstLine: 2, points: 20, storedValueFen: fen(9900) },
			{ line: 4, phone: '13812345678', firstLine: 2, points: 0, storedValueFen: fen(0) }
		]);
	});
	it('a failing first row still claims its phone', () => {
		const r = run([',13812345678,,,2099-01-01,,,,,,,', ',13812345678,,,,,,,,,,']);
		expect(r.members).toEqual([]);
		expect(r.errors.map((e) => e.line)).toEqual([2]);
		expect(r.duplicates).toEqual([
			{ line: 3, phone: '13812345678', firstLine: 2, points: 0, storedValueFen: 0 }
		]);
	});
	it('a card number repeated in the file is an error on the later row', () => {
		const r = run(['C1,13800000001,,,,,,,,,,', 'C1,13800000002,,,,,,,,,,']);
		expect(r.members.map((m) => m.phone)).toEqual(['13800000001']);
		expect(r.errors).toEqual([
			{
				line: 3,
				field: 'code',
				code: 'member.duplicateCode',
				params: { line: 3, field: 'code', value: 'C1', firstLine: 2 }
			}
		]);
	});
	it('generated codes never take a card number the file or the chain uses', () => {
		const taken = ['M0000001', 'M0000002'];
		const c = ctx({ existingCodes: new Set(['M0000003']) });
		const r = run(
			[',13800000001,,,,,,,,,,', `${taken[0]},13800000002,,,,,,,,,,`, `${taken[1]},13800000003,,,,,,,,,,`],
			c
		);
		expect(r.members.map((m) => m.code)).toEqual(['M0000004', 'M0000001', 'M0000002']);
	});
});

describe('exportMembersCsv', () => {
	const members = run([
		'C-001,13812345678,"张,三",女,1990-05-01,金卡,1200,1234.5,"=HYPERLINK(""x"")",VIP、老客,备注,2019-03-08 14:20'
	]).members;
	const balances = new Map<string, MemberBalance>([['id1', { points: 1200, storedValueFen: fen(123450) }]]);
	const levelNames = new Map([['gold', '金卡']]);
	it('writes the Chinese header, masks phones on request and defuses formulas', () => {
		const csv = exportMembersCsv(members, balances, levelNames, { maskPhones: true });
		expect(csv).toBe(
			'\uFEFF会员卡号,手机号,姓名,性别,生日,等级,积分,储值余额,地址,标签,备注,注册时间\r\n' +
				'C-001,138****5678,"张,三",女,1990-05-01,金卡,1200,1234.50,"\'=HYPERLINK(""x"")",VIP、老客,备注,2019-03-08 14:20\r\n'
		);
	});
	it('members without a ledger balance export 0; unknown level ids export as the id', () => {
		const m = { ...(members[0] as MemberProfile), levelId: 'gone' };
		const csv = exportMembersCsv([m], new Map(), levelNames, { maskPhones: false });
		expect(csv).toContain(',13812345678,');
		expect(csv).toContain(',gone,0,0.00,');
	});

	it('property: an unmasked export imports back to the same profiles and balances', () => {
		const phone = fc
			.tuple(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }))
			.map(([d, n]) => `1${d}${String(n).padStart(9, '0')}`);
		const text = fc
			.string({ maxLength: 12 })
			.filter((s) => s.trim() === s && !/[=+\-@\t\r]/.test(s[0] ?? ''));
		const profile = fc.record({
			phone,
			name: text,
			gender: fc.constantFrom('male' as const, 'female' as const, 'unspecified' as const),
			birthday: fc.constantFrom('', '1990-05-01', '2000-02-29'),
			levelId: fc.constantFrom('normal', 'gold'),
			address: text,
			notes: text,
			tag: fc.constantFrom('', 'VIP'),
			points: fc.nat(1_000_000),
			storedValue: fc.nat(100_000_000),
			minute: fc.nat(10_000_000)
		});
		fc.assert(
			fc.property(fc.uniqueArray(profile, { selector: (p) => p.phone, maxLength: 8 }), (rows) => {
				const profiles: MemberProfile[] = rows.map((p, i) => ({
					id: `id${i + 1}`,
					code: `M${String(i + 1).padStart(7, '0')}`,
					phone: p.phone,
					name: p.name,
					gender: p.gender,
					birthday: p.birthday,
					address: p.address,
					tags: p.tag ? [p.tag] : [],
					notes: p.notes,
					homeBranchId: 'b1',
					marketingConsent: false,
					levelId: p.levelId,
					levelSince: NOW,
					enrolledAt: NOW - p.minute * 60_000,
					enrolledBy: 'owner',
					updatedAt: NOW
				}));
				const bal = new Map(
					rows.map((p, i) => [`id${i + 1}`, { points: p.points, storedValueFen: fen(p.storedValue) }])
				);
				const csv = exportMembersCsv(profiles, bal, levelNames, { maskPhones: false });
				const back = importMembersCsv(csv, ctx({ existingPhones: new Map(), existingCodes: new Set() }));
				expect(back.errors).toEqual([]);
				expect(back.members).toEqual(profiles);
				expect(back.openingBalances).toEqual(
					rows
						.map((p, i) => ({ memberId: `id${i + 1}`, points: p.points, storedValueFen: p.storedValue }))
						.filter((b) => b.points > 0 || b.storedValueFen > 0)
				);
			})
		);
	});
});
