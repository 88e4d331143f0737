/**
 * Taking payment for the open cart: tenders (several per sale), change, and the durable commit. The sale is
 * committed (strict transaction) before the receipt is shown or printed (invariant 1).
 */
import { DomainError } from '$lib/domain/errors';
import { sub, ZERO, type Fen } from '$lib/domain/money';
import type { Sale, SaleLine, StockMovement } from '$lib/domain/sale';
import { localDateKey } from '$lib/domain/saleNumber';
import { assertSettled, settle, validateTender, type Tender, type TenderKind } from '$lib/domain/tender';
import { commitSale } from '$lib/storage/sales';
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
		const tender: Tender = {
			id: newId(),
			kind,
			amount,
			...(reference ? { reference: reference.trim() } : {})
		};
		try {
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
			const short = [...this.#till.belowZero][0];
			if (!this.#app.settings?.allowNegativeStock && short) {
				const [skuId, onHand] = short;
				const requested = this.#till.cart.lines
					.filter((l) => l.skuId === skuId)
					.reduce((n, l) => n + l.qty, 0);
				throw new DomainError('stock.insufficient', { skuId, onHand, requested });
			}
			await this.#till.flush();
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
					cartId: this.#till.cart.id
				},
				{
					branchCode: branch.code,
					tillCode: device.tillCode,
					dateKey: localDateKey(now, -new Date(now).getTimezoneOffset())
				}
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

	/** Cash still owed after other tenders, for the quick-cash buttons. */
	cashDue = $derived(sub(this.due, this.settlement.paid) > 0 ? sub(this.due, this.settlement.paid) : ZERO);

	dismissReceipt(): void {
		this.completed = null;
	}
}
