/**
 * Taking payment for the open cart: tenders (several per sale), change, and the durable commit. The sale is
 * committed (strict transaction) before the receipt is shown or printed (invariant 1).
 */
import { DomainError } from '$lib/domain/errors';
import { sub, toDecimalString, ZERO, type Fen } from '$lib/domain/money';
import type { Sale, SaleLine, StockMovement } from '$lib/domain/sale';
import { assertSettled, settle, validateTender, type Tender, type TenderKind } from '$lib/domain/tender';
import { commitSale } from '$lib/storage/sales';
import type { MemberRow } from '$lib/storage/db';
import type { PricedCart } from '$lib/domain/pricing/types';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import { entriesForSale } from '$lib/domain/ledger/entries';
import { batchesToConsume } from '$lib/domain/ledger/fold';
import {
	checkPointsTender,
	pointsExpiry,
	pointsForSale,
	pointsNeededFor,
	pointsTenderValue
} from '$lib/domain/ledger/points';
import { planStoredValueSpend } from '$lib/domain/ledger/storedValue';
import { evaluateLevel } from '$lib/domain/members/levels';
import { newId } from '$lib/storage/ids';
import { maskPhone } from '$lib/storage/members';
import type { AppState } from './app.svelte';
import type { SessionState } from './session.svelte';
import type { TillState } from './till.svelte';

export class PaymentState {
	open = $state(false);
	tenders = $state.raw<Tender[]>([]);
	busy = $state(false);
	error = $state<string | null>(null);
	/** The sale just completed, shown as the receipt until the cashier starts the next one. */
	completed = $state.raw<Sale | null>(null);
	readonly #app: AppState;
	readonly #session: SessionState;
	readonly #till: TillState;

	constructor(app: AppState, session: SessionState, till: TillState) {
		this.#app = app;
		this.#session = session;
		this.#till = till;
	}

	due = $derived.by(() => this.#till.pricing.priced?.total ?? ZERO);
	settlement = $derived(settle(this.due, this.tenders));

	begin(): void {
		if (this.#till.isEmpty || !this.#till.pricing.priced) return;
		this.tenders = [];
		this.error = null;
		this.open = true;
	}

	cancel(): void {
		if (this.busy) return;
		this.open = false;
		this.tenders = [];
	}

	/** Adds a tender; refuses (with a message) anything the domain refuses. Returns true if added. */
	addTender(kind: TenderKind, amount: Fen, reference?: string): boolean {
		try {
			const tender: Tender =
				kind === 'points'
					? this.#pointsTender(amount)
					: { id: newId(), kind, amount, ...(reference ? { reference: reference.trim() } : {}) };
			if (kind === 'storedValue') this.#checkStoredValue(amount);
			validateTender(tender);
			settle(this.due, [...this.tenders, tender]);
			this.tenders = [...this.tenders, tender];
			this.error = null;
			return true;
		} catch (error) {
			this.error = this.#app.locale.error(error);
			return false;
		}
	}

	/** Stored value needs a member whose ledger folds, and at most their balance over all SV tenders. */
	#checkStoredValue(amount: Fen): void {
		const ctx = this.#till.memberContext;
		if (!ctx.member || ctx.blocked) throw new DomainError('storedValue.insufficient', this.#svParams(amount));
		const used = this.tenders.filter((t) => t.kind === 'storedValue').reduce((n, t) => n + t.amount, 0);
		if (used + amount > ctx.storedValue)
			throw new DomainError('storedValue.insufficient', this.#svParams(amount));
	}

	#svParams(amount: Fen) {
		const sv = this.#till.memberContext.balances?.storedValue;
		return {
			amount: toDecimalString(amount),
			balance: toDecimalString(sv?.total ?? ZERO),
			principal: toDecimalString(sv?.principal ?? ZERO),
			bonus: toDecimalString(sv?.bonus ?? ZERO)
		};
	}

	/** The cashier types the yuan to pay with points; the points needed are checked against balance and limit. */
	#pointsTender(amount: Fen): Tender {
		const ctx = this.#till.memberContext;
		const policy = this.#app.membership?.pointsTender;
		if (!ctx.member || !policy || ctx.blocked)
			throw new DomainError('points.insufficient', { balance: ctx.points, required: 0 });
		const already = this.tenders.filter((t) => t.kind === 'points').reduce((n, t) => n + (t.points ?? 0), 0);
		const points = pointsNeededFor(amount, policy.rate);
		const value =
			checkPointsTender(already + points, this.due, ctx.points, policy) -
			pointsTenderValue(already, policy.rate);
		return { id: newId(), kind: 'points', amount: value as Fen, points };
	}

	/** The most the member may pay with points on this order (for the points button's hint). */
	pointsHint = $derived.by(() => this.#till.memberContext.maxPoints(this.due, this.due));

	removeTender(id: string): void {
		this.tenders = this.tenders.filter((t) => t.id !== id);
	}

	remaining = $derived(this.settlement.remaining);

	/** Commits the sale durably; resolves with it once IndexedDB has it on disk. */
	async complete(): Promise<Sale | null> {
		if (this.busy) return null; // a second tap on 完成 must never sell twice
		const priced = this.#till.pricing.priced;
		const device = this.#app.device;
		const branch = this.#app.branch;
		const staff = this.#session.current;
		if (!priced || !device || !branch || !staff) return null;
		this.busy = true;
		try {
			const settlement = assertSettled(priced.total, this.tenders);
			// The cart row on disk and every line's stock check first (both run after the line was painted).
			await this.#till.flush();
			const short = [...this.#till.belowZero][0];
			if (!this.#app.settings?.allowNegativeStock && short) {
				const [skuId, onHand] = short;
				const requested = this.#till.cart.lines
					.filter((l) => l.skuId === skuId)
					.reduce((n, l) => n + l.qty, 0);
				throw new DomainError('stock.insufficient', { skuId, onHand, requested });
			}
			const now = Date.now();
			const saleId = newId(now);
			const lines: SaleLine[] = priced.lines.map((line) => {
				const sku = this.#till.skus.get(line.skuId);
				if (!sku) throw new DomainError('cart.unknownSku', { skuId: line.skuId, lineId: line.lineId });
				return {
					...line,
					barcode: sku.variant.barcode,
					styleCode: sku.style.code,
					name: sku.style.name,
					size: sku.variant.size,
					color: sku.variant.color,
					categoryId: sku.style.categoryId
				};
			});
			const movements: StockMovement[] = lines.map((line) => ({
				id: newId(now),
				skuId: line.skuId,
				branchId: branch.id,
				qty: -line.qty,
				kind: 'sale',
				refId: saleId,
				deviceId: device.deviceId,
				createdAt: now
			}));
			const member = this.#till.member;
			const money = member ? this.#memberMoney(saleId, priced, now) : null;
			const sale = await commitSale(
				this.#app.db,
				{
					sale: {
						id: saleId,
						chainId: device.chainId,
						branchId: branch.id,
						deviceId: device.deviceId,
						staffId: staff.id,
						staffName: staff.name,
						...(member ? { memberId: member.id, memberPhoneMasked: maskPhone(member.phone) } : {}),
						createdAt: now,
						lines,
						listTotal: priced.listTotal,
						discountTotal: priced.discountTotal,
						roundingDiscount: priced.roundingDiscount,
						total: priced.total,
						tenders: this.tenders,
						change: settlement.change,
						approvalIds: this.#till.approvals.map((a) => a.id),
						negativeStockSkuIds: [...this.#till.belowZero.keys()]
					},
					movements,
					approvals: this.#till.approvals.map((a) => ({ ...a, saleId })),
					cartId: this.#till.cart.id,
					...(money ? { ledger: money.entries, ...(money.member ? { member: money.member } : {}) } : {})
				},
				this.#app.tillContext(staff).numberParts
			);
			this.completed = sale;
			this.open = false;
			this.tenders = [];
			this.#till.startNewCart();
			void this.#app.refreshUnsynced();
			return sale;
		} catch (error) {
			this.#app.reportStorageError(error);
			this.error = this.#app.locale.error(error);
			return null;
		} finally {
			this.busy = false;
		}
	}

	/**
	 * The member side of the sale: stored value and points spent, points earned (largest multiplier of level,
	 * plan, new arrivals), and the level reached at this crossing sale (upgrade only; downgrades are scheduled).
	 */
	#memberMoney(
		saleId: string,
		priced: PricedCart,
		now: number
	): { entries: LedgerEntry[]; member?: MemberRow } | null {
		const ctx = this.#till.memberContext;
		const config = this.#app.membership;
		const member = ctx.member;
		const device = this.#app.device;
		if (!member || !config || !device) return null;
		const svTotal = this.tenders
			.filter((t) => t.kind === 'storedValue')
			.reduce((n, t) => n + t.amount, 0) as Fen;
		const pointsSpent = this.tenders
			.filter((t) => t.kind === 'points')
			.reduce((n, t) => n + (t.points ?? 0), 0);
		const svBalance = ctx.balances?.storedValue;
		const svSpend =
			svTotal > 0 && svBalance
				? planStoredValueSpend(svBalance, svTotal, config.storedValueSpendOrder)
				: undefined;
		const earned = pointsForSale({
			lines: priced.lines.map((line) => {
				const sku = this.#till.skus.get(line.skuId);
				return {
					lineId: line.lineId,
					total: line.total,
					categoryId: sku?.style.categoryId ?? '',
					isNewArrival: sku?.style.isNewArrival ?? false
				};
			}),
			tenders: this.tenders,
			rules: config.earn,
			...(ctx.levelRule ? { levelMultiplierBp: ctx.levelRule.pointsMultiplierBp } : {}),
			...(ctx.plan ? { planMultiplierBp: ctx.plan.pointsMultiplierBp } : {})
		});
		const expiresAt = pointsExpiry(now, config.pointsExpiry, config.utcOffsetMinutes);
		const spentFrom =
			ctx.balances?.points && pointsSpent > 0 ? batchesToConsume(ctx.balances.points, pointsSpent) : [];
		const entries = entriesForSale(
			{
				memberId: member.id,
				saleId,
				pointsEarned: earned.points,
				...(expiresAt ? { pointsExpiresAt: expiresAt } : {}),
				pointsSpent,
				pointsSpentFrom: spentFrom,
				...(svSpend ? { svSpend } : {}),
				spent: priced.total
			},
			{ deviceId: device.deviceId, seq: 0, now, newId: () => newId(now) }
		);
		const level = evaluateLevel({
			rules: config.levels,
			policy: config.levelPolicy,
			current: { levelId: member.levelId, levelSince: member.levelSince },
			spendInWindow: (ctx.spendInWindow + priced.total) as Fen,
			pointsInWindow: ctx.pointsInWindow + earned.points,
			now,
			mode: 'atSale'
		});
		const upgraded = level.changed
			? { ...member, levelId: level.levelId, levelSince: level.levelSince, updatedAt: now }
			: undefined;
		return upgraded ? { entries, member: upgraded } : { entries };
	}

	/** Cash still owed after other tenders, for the quick-cash buttons. */
	cashDue = $derived(sub(this.due, this.settlement.paid) > 0 ? sub(this.due, this.settlement.paid) : ZERO);

	dismissReceipt(): void {
		this.completed = null;
	}
}
