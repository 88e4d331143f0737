/**
 * The simulation's till operations, each through the real storage functions (the same transactions and outbox
 * rows the app writes): sales (with points and stored-value spends within what the till sees), enrolments,
 * top-ups, profile edits, catalog edits, stock receipts and — on the owner's device — member merges.
 */
import type { Table } from 'dexie';
import { entriesForSale } from '../../src/lib/domain/ledger/entries';
import { fen, type Fen } from '../../src/lib/domain/money';
import type { Sale, SaleLine, StockMovement } from '../../src/lib/domain/sale';
import { demoMembership } from '../../src/lib/demo/membership';
import { saveStyleEdit, receiveStock } from '../../src/lib/storage/catalog';
import type { MemberRow } from '../../src/lib/storage/db';
import { newId } from '../../src/lib/storage/ids';
import { commitTopUp } from '../../src/lib/storage/memberMoney';
import { editMember, enrolMember, memberBalances, PhoneTakenError } from '../../src/lib/storage/members';
import { commitSale } from '../../src/lib/storage/sales';
import { DomainError } from '../../src/lib/domain/errors';
import { findDuplicatePhones, mergeMembers, MergeError } from '../../src/lib/sync/merge';
import type { SimDevice } from './world';

export type Rand = () => number;

/** A random row without reading the whole table (the simulation's own cost should not grow with the data). */
export async function randomRow<T>(table: Table<T, string, unknown>, rand: Rand): Promise<T | undefined> {
	const count = await table.count();
	return count ? table.offset(Math.floor(rand() * count)).first() : undefined;
}
const pick = <T>(rand: Rand, items: readonly T[]): T | undefined => items[Math.floor(rand() * items.length)];
const DATE_KEY = '20260301';
const membership = demoMembership();

/** A sale of 1-3 random SKUs, for a member or not; a member may pay part with points and stored value. */
export async function commitRandomSale(d: SimDevice, rand: Rand, member: MemberRow | null): Promise<Sale> {
	const now = Date.now();
	const id = newId(now);
	const lines: SaleLine[] = [];
	for (let i = 1 + Math.floor(rand() * 3); i > 0; i--) {
		const v = (await randomRow(d.db.variants, rand))!;
		const style = (await d.db.styles.get(v.styleId))!;
		const qty = 1 + Math.floor(rand() * 2);
		const unitPrice = v.retailPrice ?? style.retailPrice;
		const total = fen(unitPrice * qty);
		lines.push({
			lineId: newId(now),
			skuId: v.id,
			qty,
			unitPrice,
			listTotal: total,
			adjustments: [],
			total,
			barcode: v.barcode,
			styleCode: style.code,
			name: style.name,
			size: v.size,
			color: v.color,
			categoryId: style.categoryId
		});
	}
	const total = fen(lines.reduce((s, l) => s + l.total, 0));
	let pointsSpent = 0;
	let svSpent = 0;
	if (member) {
		const balances = await memberBalances(d.db, member.id, now);
		const points = balances.points?.balance ?? 0;
		const principal = balances.storedValue?.principal ?? 0;
		if (points > 0 && rand() < 0.4)
			pointsSpent = Math.min(points, Math.min(total, 1 + Math.floor(rand() * 500)));
		if (principal > 0 && rand() < 0.5) svSpent = Math.min(principal, total - pointsSpent);
	}
	const cash = fen(total - pointsSpent - svSpent);
	const sale: Omit<Sale, 'number'> = {
		id,
		chainId: 'simchain',
		branchId: d.spec.branch,
		deviceId: d.spec.id,
		staffId: 'stf-sim',
		staffName: '模拟',
		...(member ? { memberId: member.id, memberPhoneMasked: '138****0000' } : {}),
		createdAt: now,
		lines,
		listTotal: total,
		discountTotal: fen(0),
		roundingDiscount: fen(0),
		total,
		tenders: [
			...(pointsSpent
				? [{ id: newId(now), kind: 'points' as const, amount: fen(pointsSpent), points: pointsSpent }]
				: []),
			...(svSpent ? [{ id: newId(now), kind: 'storedValue' as const, amount: fen(svSpent) }] : []),
			...(cash > 0 ? [{ id: newId(now), kind: 'cash' as const, amount: cash }] : [])
		],
		change: fen(0),
		approvalIds: [],
		negativeStockSkuIds: []
	};
	const movements: StockMovement[] = lines.map((l) => ({
		id: newId(now),
		skuId: l.skuId,
		branchId: d.spec.branch,
		qty: -l.qty,
		kind: 'sale',
		refId: id,
		deviceId: d.spec.id,
		createdAt: now
	}));
	const ledger = member
		? entriesForSale(
				{
					memberId: member.id,
					saleId: id,
					pointsEarned: Math.floor(cash / 100),
					pointsSpent,
					svSpend: { principal: fen(svSpent) as Fen, bonus: fen(0) }
				},
				{ deviceId: d.spec.id, seq: 0, now, newId: () => newId(now) }
			)
		: [];
	const cartId = newId(now);
	await d.db.carts.put({
		id: cartId,
		status: 'open',
		label: '',
		staffId: 'stf-sim',
		cart: { id: cartId, lines: [], createdAt: now, updatedAt: now },
		updatedAt: now
	});
	return commitSale(
		d.db,
		{ sale, movements, approvals: [], cartId, ledger },
		{ branchCode: d.spec.branchCode, tillCode: d.spec.tillCode, dateKey: DATE_KEY }
	);
}

/** Phones come from a small pool so that two offline branches sometimes enrol the same person. */
export async function enrolRandom(d: SimDevice, rand: Rand, poolSize: number): Promise<MemberRow | null> {
	const phone = `139${String(Math.floor(rand() * poolSize)).padStart(8, '0')}`;
	try {
		return await enrolMember(d.db, {
			phone,
			name: pick(rand, ['王芳', '李娜', '张伟', '刘洋', '陈静'])!,
			staffId: 'stf-sim',
			branchId: d.spec.branch,
			entryLevelId: 'lvl-regular',
			enrolmentPoints: 50,
			deviceId: d.spec.id
		});
	} catch (error) {
		if (error instanceof PhoneTakenError) return null;
		throw error;
	}
}

export async function topUpRandom(d: SimDevice, rand: Rand, member: MemberRow): Promise<void> {
	const amount = fen(pick(rand, [30000, 50000, 100000])!);
	await commitTopUp(d.db, {
		memberId: member.id,
		levelId: member.levelId,
		amount,
		tenders: [{ id: newId(), kind: 'cash', amount }],
		config: membership,
		till: {
			deviceId: d.spec.id,
			branchId: d.spec.branch,
			staffId: 'stf-sim',
			numberParts: { branchCode: d.spec.branchCode, tillCode: d.spec.tillCode, dateKey: DATE_KEY }
		}
	});
}

export async function editRandom(d: SimDevice, rand: Rand, member: MemberRow): Promise<void> {
	if (member.phone === '') return;
	await editMember(d.db, member.id, { notes: `备注${Math.floor(rand() * 1000)}` }, 'stf-sim', 480);
}

/** A price change on a style (managers and owners only: cashiers cannot write the catalog). */
export async function editCatalogRandom(d: SimDevice, rand: Rand): Promise<void> {
	const style = (await randomRow(d.db.styles, rand))!;
	const variants = await d.db.variants.where('styleId').equals(style.id).toArray();
	const price = fen(5000 + Math.floor(rand() * 200) * 100);
	await saveStyleEdit(d.db, { ...style, retailPrice: price, updatedAt: Date.now() }, variants);
}

export async function receiveRandom(d: SimDevice, rand: Rand): Promise<void> {
	const variant = (await randomRow(d.db.variants, rand))!;
	await receiveStock(
		d.db,
		{ skuId: variant.id, branchId: d.spec.branch, deviceId: d.spec.id, now: Date.now() },
		1 + Math.floor(rand() * 5)
	);
}

/**
 * The owner merges the first duplicate phone it sees (oldest enrolment kept). A ledger that concurrent offline
 * spends overdrew is refused by mergeMembers (reconcile first): then nothing happens.
 */
export async function mergeFirstDuplicate(d: SimDevice): Promise<boolean> {
	const [group] = await findDuplicatePhones(d.db);
	if (!group) return false;
	const [keep, merged] = group.members;
	try {
		await mergeMembers(d.db, keep!.id, merged!.id, 'stf-owner', { deviceId: d.spec.id });
		return true;
	} catch (error) {
		if (error instanceof DomainError || error instanceof MergeError) return false;
		throw error;
	}
}
