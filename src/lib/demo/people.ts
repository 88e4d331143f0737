/** The small records of the demo chain (branches, tills, levels, staff, promotions) and the member stream. */
import type { MemberLevel } from '../domain/catalog';
import { fen } from '../domain/money';
import type { Promotion } from '../domain/pricing/types';
import { createRng, hashHex, weightedPicker, type Rng } from './prng';
import { DAY_MS } from './scales';
import type { DemoBranch, DemoChainInfo, DemoDevice, DemoMember, DemoSettings, DemoStaff } from './types';
import { GIVEN_FEMALE, GIVEN_MALE, MOBILE_PREFIXES, SITES, SURNAMES } from './words';

export const memberId = (index: number): string => `mem-${String(index + 1).padStart(6, '0')}`;
export const branchCode = (index: number): string => `B${String(index + 1).padStart(2, '0')}`;
export const deviceId = (branchIndex: number, till: number): string =>
	`dev-${branchCode(branchIndex)}-T${till}`;
export const cashierId = (branchIndex: number): string => `stf-${branchCode(branchIndex)}-cashier`;

/** A mainland mobile number: 1, then 3-9, then nine digits. */
export const MOBILE_PHONE = /^1[3-9]\d{9}$/;

export function demoChainInfo(seed: string): DemoChainInfo {
	return { id: `chain-${hashHex(seed).slice(0, 8)}`, name: '枝线服饰', currency: 'CNY' };
}

export function demoLevels(): MemberLevel[] {
	return [
		{ id: 'lvl-regular', name: '普通会员', rank: 0 },
		{ id: 'lvl-silver', name: '银卡会员', rank: 1 },
		{ id: 'lvl-gold', name: '金卡会员', rank: 2 },
		{ id: 'lvl-diamond', name: '钻石会员', rank: 3 }
	];
}

export function demoSettings(): DemoSettings {
	return { rounding: 'jiao', promotionsStackWithLevelPrice: true, allowNegativeStock: true };
}

export function demoBranches(seed: string, count: number): DemoBranch[] {
	const rng = createRng(seed).fork('branches');
	return Array.from({ length: count }, (_, i) => {
		const [city, area, district, road, mall] = SITES[i % SITES.length] ?? SITES[0]!;
		const round = Math.floor(i / SITES.length);
		const floor = `${rng.pick(['B1', '1F', '2F', '3F'])}-${rng.int(1, 60)}`;
		return {
			id: `br-${String(i + 1).padStart(2, '0')}`,
			code: branchCode(i),
			name: `${city}${mall}${round > 0 ? round + 1 : ''}店`,
			address: `${city}市${district}${road}${rng.int(1, 1999)}号${mall}${floor}`,
			phone: `${area}-${rng.int(5, 8)}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`
		};
	});
}

/** Relative traffic per branch: the first is the flagship. Shared by members (home branch) and history. */
export function branchWeights(seed: string, count: number): number[] {
	const rng = createRng(seed).fork('branch-weights');
	return Array.from({ length: count }, (_, i) => (i === 0 ? 1.6 : 0.5 + rng.next()));
}

export function demoDevices(branches: readonly DemoBranch[], perBranch: number): DemoDevice[] {
	return branches.flatMap((branch, b) =>
		Array.from({ length: perBranch }, (_, t) => ({
			id: deviceId(b, t + 1),
			branchId: branch.id,
			name: `${t + 1}号收银台`
		}))
	);
}

export function personName(rng: Rng): string {
	const surname = rng.chance(0.5) ? rng.pick(SURNAMES.slice(0, 10)) : rng.pick(SURNAMES);
	// Clothing-chain members are mostly women.
	const given = rng.chance(0.78) ? GIVEN_FEMALE : GIVEN_MALE;
	return surname + rng.pick(given) + (rng.chance(0.6) ? rng.pick(given) : '');
}

/** Demo staff with clear-text demo PINs (owner 0000, manager 1234, cashiers 1111); the caller hashes them. */
export function demoStaff(seed: string, branches: readonly DemoBranch[]): DemoStaff[] {
	const rng = createRng(seed).fork('staff');
	const all = branches.map((b) => b.id);
	return [
		{ id: 'stf-owner', name: '周建国', role: 'owner', branchIds: all, pin: '0000' },
		{ id: 'stf-manager', name: '王丽华', role: 'manager', branchIds: all, pin: '1234' },
		{ id: 'stf-cashier', name: '李娜', role: 'cashier', branchIds: all, pin: '1111' },
		...branches.map((b, i): DemoStaff => ({
			id: cashierId(i),
			name: personName(rng),
			role: 'cashier',
			branchIds: [b.id],
			pin: '1111'
		}))
	];
}

/** The demo promotions. Exclusive ones run first so their lines take no stackable discount on top. */
export function demoPromotions(): Promotion[] {
	return [
		{
			id: 'promo-socks-b2g1',
			name: '袜子配饰 买二送一',
			priority: 10,
			stacking: 'exclusive',
			scope: { categoryIds: ['cat-socks', 'cat-acc'] },
			rule: { kind: 'buyNGetM', buy: 2, get: 1 },
			active: true
		},
		{
			id: 'promo-tshirt-2nd-half',
			name: 'T恤 第二件半价',
			priority: 20,
			stacking: 'exclusive',
			scope: { categoryIds: ['cat-tshirt'] },
			rule: { kind: 'nthItem', n: 2, bp: 5000 },
			active: true
		},
		{
			id: 'promo-new-90',
			name: '新品9折',
			priority: 30,
			stacking: 'stackable',
			scope: { newArrivalsOnly: true },
			rule: { kind: 'percentOff', bp: 1000 },
			active: true
		},
		{
			id: 'promo-member-95',
			name: '会员日95折',
			priority: 40,
			stacking: 'stackable',
			scope: {},
			rule: { kind: 'percentOff', bp: 500 },
			membersOnly: true,
			active: true
		},
		{
			id: 'promo-spend-300-50',
			name: '满300减50',
			priority: 50,
			stacking: 'stackable',
			scope: {},
			rule: { kind: 'spendSave', threshold: fen(30_000), save: fen(5_000), repeat: true },
			active: true
		}
	];
}

export interface MemberOptions {
	seed: string;
	count: number;
	levels: readonly MemberLevel[];
	branches: readonly DemoBranch[];
	asOf: number;
}

/**
 * Streams members in enrolment order: createdAt never decreases with the index (the history relies on it),
 * spread over the three years before `asOf`. Phones are unique; level shares 60/25/11/4 %.
 */
export function* generateMembers({
	seed,
	count,
	levels,
	branches,
	asOf
}: MemberOptions): Generator<DemoMember> {
	const rng = createRng(seed).fork('members');
	const pickLevel = weightedPicker(levels.map((l) => [l, [60, 25, 11, 4][l.rank] ?? 1] as const));
	const weights = branchWeights(seed, branches.length);
	const pickBranch = weightedPicker(branches.map((b, i) => [b, weights[i] ?? 1] as const));
	const start = asOf - 3 * 365 * DAY_MS;
	const span = asOf - DAY_MS - start;
	const phones = new Set<string>();
	for (let i = 0; i < count; i++) {
		let phone: string;
		do {
			phone = rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
		} while (phones.has(phone));
		phones.add(phone);
		yield {
			id: memberId(i),
			code: `M${String(i + 1).padStart(7, '0')}`,
			phone,
			name: personName(rng),
			levelId: pickLevel(rng).id,
			homeBranchId: pickBranch(rng).id,
			createdAt: start + Math.floor(((i + rng.next()) * span) / count)
		};
	}
}
