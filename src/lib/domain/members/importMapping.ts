/**
 * Which column of another system's member export holds what. Exports from 有赞, 微盟, 客如云, 二维火 and
 * spreadsheets kept by hand name columns differently ("手机号码", "会员手机", "Mobile", "余额(元)"), so the import
 * suggests a mapping that the owner confirms or corrects before anything is imported.
 */

/** Everything the member import can read. Only `phone` is required. */
export const MEMBER_IMPORT_FIELDS = [
	'phone',
	'code',
	'name',
	'gender',
	'birthday',
	'points',
	'storedValue',
	'level',
	'address',
	'tags',
	'notes',
	'enrolledAt'
] as const;
export type MemberImportField = (typeof MEMBER_IMPORT_FIELDS)[number];

/** Field -> 0-based column index in the file. Unmapped fields are not imported. */
export type MemberImportMapping = Partial<Record<MemberImportField, number>>;

interface Synonyms {
	/** Whole (normalised) header names, best first. */
	exact: readonly string[];
	/** Parts of a header name, best first (a weaker match than any exact name). */
	contains: readonly string[];
	/** A header containing one of these is never this field (e.g. 累计积分 is not a points balance). */
	exclude?: readonly string[];
}

// Totals and history are not balances: importing 累计积分 as a balance would create points out of thin air.
const NOT_A_BALANCE = [
	'累计',
	'总',
	'历史',
	'已用',
	'已兑',
	'消耗',
	'使用',
	'消费',
	'total',
	'lifetime',
	'used'
];

const SYNONYMS: Record<MemberImportField, Synonyms> = {
	phone: {
		exact: [
			'手机号',
			'手机',
			'手机号码',
			'会员手机',
			'会员手机号',
			'移动电话',
			'电话',
			'电话号码',
			'联系电话'
		].concat(['联系方式', 'mobile', 'phone', 'mobilephone', 'phonenumber', 'cellphone', 'cell', 'tel']),
		contains: ['手机', 'mobile', 'phone', '电话'],
		exclude: ['紧急', '固话', '座机']
	},
	code: {
		exact: [
			'会员卡号',
			'卡号',
			'会员编号',
			'会员号',
			'会员卡',
			'会员码',
			'编号',
			'cardno',
			'cardnumber',
			'card'
		].concat(['memberno', 'membernumber', 'membercode', 'memberid', 'code']),
		contains: ['卡号', '编号', 'card'],
		exclude: ['身份证', '银行', '证件', '积分', '余额']
	},
	name: {
		exact: [
			'姓名',
			'会员姓名',
			'客户姓名',
			'顾客姓名',
			'名字',
			'会员名称',
			'客户名称',
			'联系人',
			'昵称',
			'name'
		].concat(['fullname', 'membername', 'customername', 'nickname']),
		contains: ['姓名', 'name'],
		exclude: ['等级', '级别', '门店', '店铺', 'level', 'store', 'shop', 'user', '用户名']
	},
	gender: { exact: ['性别', 'gender', 'sex'], contains: ['性别', 'gender'] },
	birthday: {
		exact: ['生日', '出生日期', '出生年月日', '会员生日', 'birthday', 'birthdate', 'dateofbirth', 'dob'],
		contains: ['生日', '出生', 'birth']
	},
	points: {
		exact: ['积分', '当前积分', '可用积分', '剩余积分', '积分余额', '会员积分', 'points', 'point'].concat([
			'pointsbalance',
			'availablepoints',
			'currentpoints'
		]),
		contains: ['积分', 'point'],
		exclude: NOT_A_BALANCE
	},
	storedValue: {
		exact: [
			'储值余额',
			'余额',
			'储值',
			'卡内余额',
			'账户余额',
			'可用余额',
			'充值余额',
			'会员余额',
			'剩余储值'
		].concat(['balance', 'storedvalue', 'storedbalance', 'walletbalance', 'cardbalance']),
		contains: ['余额', '储值', 'balance'],
		// 赠送余额 is bonus money, not what the customer paid in: map it by hand if wanted.
		exclude: [...NOT_A_BALANCE, '积分', 'point', '赠送', 'bonus', 'gift']
	},
	level: {
		exact: ['等级', '会员等级', '级别', '会员级别', '卡类型', '会员卡类型', '卡等级', 'level', 'tier'].concat(
			['memberlevel', 'membertier', 'grade']
		),
		contains: ['等级', '级别', 'level', 'tier']
	},
	address: {
		exact: ['地址', '联系地址', '家庭地址', '收货地址', '住址', 'address'],
		contains: ['地址', 'address'],
		exclude: ['邮箱', 'email', 'mail', '门店', 'store']
	},
	tags: { exact: ['标签', '会员标签', '客户标签', 'tags', 'tag', 'labels'], contains: ['标签', 'tag'] },
	notes: {
		exact: ['备注', '备注信息', '说明', 'notes', 'note', 'remark', 'remarks', 'memo', 'comment', 'comments'],
		contains: ['备注', 'note', 'remark']
	},
	enrolledAt: {
		exact: [
			'注册时间',
			'注册日期',
			'开卡时间',
			'开卡日期',
			'入会时间',
			'入会日期',
			'办卡时间',
			'加入时间'
		].concat([
			'创建时间',
			'registeredat',
			'registrationdate',
			'joindate',
			'joinedat',
			'createdat',
			'enrolledat'
		]),
		contains: ['注册', '开卡', '入会', '办卡']
	}
};

/** Lower-case, without a BOM, bracketed notes ("余额(元)", "手机*（必填）"), spaces and punctuation. */
export function normalizeHeader(header: string): string {
	return header
		.replace(/^\uFEFF/, '')
		.replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
		.toLowerCase()
		.replace(/[\s\u3000_\-.:：*#/]/g, '');
}

function score(header: string, synonyms: Synonyms): number {
	if (header === '') return 0;
	if (synonyms.exclude?.some((word) => header.includes(word))) return 0;
	const exact = synonyms.exact.indexOf(header);
	if (exact >= 0) return 1000 - exact;
	const part = synonyms.contains.findIndex((word) => header.includes(word));
	return part >= 0 ? 100 - part : 0;
}

/**
 * A suggested mapping from the header row: each field gets the best-matching column (an exact synonym beats a
 * partial one; earlier synonyms and then leftmost columns win ties), and no column is used twice. Fields with no
 * matching column are left out.
 */
export function suggestMapping(headers: readonly string[]): MemberImportMapping {
	const normalized = headers.map(normalizeHeader);
	const candidates: { field: MemberImportField; column: number; score: number }[] = [];
	for (const field of MEMBER_IMPORT_FIELDS) {
		normalized.forEach((header, column) => {
			const s = score(header, SYNONYMS[field]);
			if (s > 0) candidates.push({ field, column, score: s });
		});
	}
	// Strongest matches first, so "会员卡号" goes to code before anything weaker can claim it.
	candidates.sort(
		(a, b) =>
			b.score - a.score ||
			MEMBER_IMPORT_FIELDS.indexOf(a.field) - MEMBER_IMPORT_FIELDS.indexOf(b.field) ||
			a.column - b.column
	);
	const mapping: MemberImportMapping = {};
	const taken = new Set<number>();
	for (const c of candidates) {
		if (mapping[c.field] !== undefined || taken.has(c.column)) continue;
		mapping[c.field] = c.column;
		taken.add(c.column);
	}
	return mapping;
}
