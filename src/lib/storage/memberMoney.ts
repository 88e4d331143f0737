/**
 * Money that moves through a member account outside a sale: stored-value top-ups, paid-plan purchases, gift
 * redemptions and manual adjustments. Each commits its record, its ledger entries, stock and outbox rows in
 * one strict transaction, so no top-up is ever half-written.
 */
import {
	entriesForAdjustment,
	entriesForGiftRedemption,
	entriesForTopUp,
	type AdjustmentLedgerInput
} from '$lib/domain/ledger/entries';
import { batchesToConsume, foldPoints, foldStoredValue } from '$lib/domain/ledger/fold';
import { debtForOverdraft, overdraftOf, type Overdraft } from '$lib/domain/ledger/reconcile';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import { DomainError } from '$lib/domain/errors';
import { giftOnHand, redemptionMovement, validateRedemption } from '$lib/domain/ledger/gifts';
import { planTopUp } from '$lib/domain/ledger/storedValue';
import type { MembershipConfig } from '$lib/domain/members/config';
import { subscribe } from '$lib/domain/members/plans';
import type { PaidPlan, PlanSubscription } from '$lib/domain/members/types';
import { ZERO, type Fen } from '$lib/domain/money';
import type { Sale } from '$lib/domain/sale';
import { formatSaleNumber } from '$lib/domain/saleNumber';
import { assertSettled, type Tender } from '$lib/domain/tender';
import type { Approval } from '$lib/domain/staff';
import type { BranchlineDb, RedemptionRow, TopUpRow } from './db';
import { newId } from './ids';
import { accountEntries, appendEntries } from './ledger';
import type { NumberParts } from './sales';

export interface TillContext {
	deviceId: string;
	branchId: string;
	staffId: string;
	numberParts: NumberParts;
}

const stamp = (deviceId: string, now: number) => ({ deviceId, seq: 0, now, newId: () => newId(now) });

/** The next receipt number of this till today: sales, top-ups and plan sales share one sequence. */
async function nextNumber(db: BranchlineDb, parts: NumberParts): Promise<string> {
	const key = `sale:${parts.dateKey}`;
	const seq = ((await db.counters.get(key))?.value ?? 0) + 1;
	await db.counters.put({ key, value: seq });
	return formatSaleNumber({
		branchCode: parts.branchCode,
		tillCode: parts.tillCode,
		date: parts.dateKey,
		seq
	});
}

/** 充值: principal and bonus (by the chain's tiers for the member's level) credited in one go. */
export async function commitTopUp(
	db: BranchlineDb,
	input: {
		memberId: string;
		levelId: string;
		amount: Fen;
		tenders: Tender[];
		config: MembershipConfig;
		till: TillContext;
	}
): Promise<TopUpRow> {
	const now = Date.now();
	const settlement = assertSettled(input.amount, input.tenders);
	const plan = planTopUp({
		amount: input.amount,
		tiers: input.config.topUpTiers,
		levelId: input.levelId,
		bonusPolicy: input.config.bonusExpiry,
		utcOffsetMinutes: input.config.utcOffsetMinutes,
		now
	});
	const id = newId(now);
	const entries = entriesForTopUp(
		{
			memberId: input.memberId,
			topUpId: id,
			principal: plan.principal,
			bonus: plan.bonus,
			...(plan.bonusExpiresAt ? { bonusExpiresAt: plan.bonusExpiresAt } : {})
		},
		stamp(input.till.deviceId, now)
	);
	return db.transaction('rw', [db.topUps, db.ledger, db.counters, db.outbox], async () => {
		const row: TopUpRow = {
			id,
			number: await nextNumber(db, input.till.numberParts),
			memberId: input.memberId,
			branchId: input.till.branchId,
			deviceId: input.till.deviceId,
			staffId: input.till.staffId,
			principal: plan.principal,
			bonus: plan.bonus,
			tenders: input.tenders,
			change: settlement.change,
			createdAt: now
		};
		await db.topUps.add(row);
		await appendEntries(db, input.till.deviceId, entries);
		await db.outbox.add({ id: newId(), table: 'topUps', recordId: id, createdAt: now });
		return row;
	});
}

/**
 * 开通/续费付费会员: the plan is sold like a product. It is stored as a one-line sale (so it shows in sales
 * history, on the receipt and in revenue) together with the subscription it starts, in one transaction.
 */
export async function commitPlanPurchase(
	db: BranchlineDb,
	input: {
		member: { id: string; phoneMasked: string };
		plan: PaidPlan;
		tenders: Tender[];
		utcOffsetMinutes: number;
		till: TillContext & { chainId: string; staffName: string };
	}
): Promise<{ sale: Sale; subscription: PlanSubscription }> {
	const now = Date.now();
	const settlement = assertSettled(input.plan.price, input.tenders);
	return db.transaction('rw', [db.subscriptions, db.sales, db.counters, db.outbox], async () => {
		const existing = await db.subscriptions.where('memberId').equals(input.member.id).toArray();
		const saleId = newId(now);
		const subscription = subscribe(input.plan, input.member.id, now, existing, {
			id: newId(now),
			saleId,
			utcOffsetMinutes: input.utcOffsetMinutes
		});
		const price = input.plan.price;
		const sale: Sale = {
			id: saleId,
			number: await nextNumber(db, input.till.numberParts),
			chainId: input.till.chainId,
			branchId: input.till.branchId,
			deviceId: input.till.deviceId,
			staffId: input.till.staffId,
			staffName: input.till.staffName,
			memberId: input.member.id,
			memberPhoneMasked: input.member.phoneMasked,
			createdAt: now,
			lines: [
				{
					lineId: newId(now),
					skuId: `plan:${input.plan.id}`,
					qty: 1,
					unitPrice: price,
					listTotal: price,
					adjustments: [],
					total: price,
					barcode: '',
					styleCode: input.plan.id,
					name: input.plan.name,
					size: '',
					color: '',
					categoryId: 'membership-plan'
				}
			],
			listTotal: price,
			discountTotal: ZERO,
			roundingDiscount: ZERO,
			total: price,
			tenders: input.tenders,
			change: settlement.change,
			approvalIds: [],
			negativeStockSkuIds: []
		};
		await db.sales.add(sale);
		await db.subscriptions.add(subscription);
		await db.outbox.bulkAdd([
			{ id: newId(), table: 'sales', recordId: sale.id, createdAt: now },
			{ id: newId(), table: 'subscriptions', recordId: subscription.id, createdAt: now }
		]);
		return { sale, subscription };
	});
}

/** 积分兑换: checks gift stock and the member's points inside the transaction, then spends FIFO. */
export async function commitRedemption(
	db: BranchlineDb,
	input: { memberId: string; giftId: string; qty: number; tenders: Tender[]; till: TillContext }
): Promise<RedemptionRow> {
	const now = Date.now();
	return db.transaction(
		'rw',
		[db.gifts, db.giftStock, db.ledger, db.redemptions, db.counters, db.outbox],
		async () => {
			const gift = await db.gifts.get(input.giftId);
			if (!gift) throw new Error(`gift ${input.giftId} not found`);
			const stock = await db.giftStock
				.where('[giftId+branchId]')
				.equals([gift.id, input.till.branchId])
				.toArray();
			const fold = foldPoints(await accountEntries(db, input.memberId, 'points'), now);
			if (!fold.ok) throw fold.violation;
			const { points, cash } = validateRedemption(
				gift,
				giftOnHand(stock, gift.id, input.till.branchId),
				fold.value.balance,
				input.qty
			);
			if (cash > 0) assertSettled(cash, input.tenders);
			const id = newId(now);
			const row: RedemptionRow = {
				id,
				memberId: input.memberId,
				giftId: gift.id,
				qty: input.qty,
				points,
				cash,
				tenders: cash > 0 ? input.tenders : [],
				branchId: input.till.branchId,
				deviceId: input.till.deviceId,
				staffId: input.till.staffId,
				createdAt: now
			};
			const movement = redemptionMovement({
				id: newId(now),
				giftId: gift.id,
				branchId: input.till.branchId,
				qty: input.qty,
				redemptionId: id,
				deviceId: input.till.deviceId,
				now
			});
			const entries = entriesForGiftRedemption(
				{
					memberId: input.memberId,
					redemptionId: id,
					giftId: gift.id,
					points,
					pointsSpentFrom: batchesToConsume(fold.value, points)
				},
				stamp(input.till.deviceId, now)
			);
			await db.redemptions.add(row);
			await db.giftStock.add(movement);
			await appendEntries(db, input.till.deviceId, entries);
			await db.outbox.bulkAdd([
				{ id: newId(), table: 'redemptions', recordId: id, createdAt: now },
				{ id: newId(), table: 'giftStock', recordId: movement.id, createdAt: now }
			]);
			return row;
		}
	);
}

/** A manual points or stored-value adjustment, with its reason and (when needed) the manager's approval. */
export async function commitAdjustment(
	db: BranchlineDb,
	input: Omit<AdjustmentLedgerInput, 'approvalId'> & { approval: Approval | null; deviceId: string }
): Promise<void> {
	const now = Date.now();
	const { approval, deviceId, ...rest } = input;
	const entries = entriesForAdjustment(
		{ ...rest, ...(approval ? { approvalId: approval.id } : {}) },
		stamp(deviceId, now)
	);
	await db.transaction('rw', [db.ledger, db.counters, db.outbox, db.approvals], async () => {
		if (input.direction === 'out') {
			const all = await accountEntries(db, input.memberId, input.account);
			// Taking out more than the member has would be an overdraft with no debt entry: refuse it here.
			const probe =
				input.account === 'points'
					? foldPoints([...all, ...entries], now)
					: foldStoredValue([...all, ...entries], now);
			if (!probe.ok) throw probe.violation;
		}
		await appendEntries(db, deviceId, entries);
		if (approval) {
			await db.approvals.add(approval);
			await db.outbox.add({ id: newId(), table: 'approvals', recordId: approval.id, createdAt: now });
		}
	});
}

/**
 * Settles the member's first offline overdraft with a debt entry (a manager's decision, with a reason). Refused
 * when the ledger no longer reports that overdraft (another till settled it, or entries arrived that cover it):
 * the screen reloads and shows what is true now. Returns the overdraft the ledger still reports after this one,
 * if any, so the manager can settle the next.
 */
export async function commitOverdraftDebt(
	db: BranchlineDb,
	input: { memberId: string; overdraft: Overdraft; staffId: string; reason: string; deviceId: string }
): Promise<Overdraft | null> {
	const now = Date.now();
	return db.transaction('rw', [db.ledger, db.counters, db.outbox], async () => {
		const all = await accountEntries(db, input.memberId, input.overdraft.account);
		const fold = (entries: LedgerEntry[]) =>
			input.overdraft.account === 'points' ? foldPoints(entries, now) : foldStoredValue(entries, now);
		const before = fold(all);
		const current = before.ok ? null : overdraftOf(before.violation);
		const cause = all.find((e) => e.id === input.overdraft.entryId);
		if (
			!cause ||
			current?.entryId !== input.overdraft.entryId ||
			current.shortfall !== input.overdraft.shortfall
		)
			throw new DomainError('ledger.reconcileStale', {});
		const debt = debtForOverdraft({ ...input, cause }, stamp(input.deviceId, now));
		await appendEntries(db, input.deviceId, debt);
		const after = fold([...all, ...debt]);
		return after.ok ? null : overdraftOf(after.violation);
	});
}
