/**
 * The till's open cart: scanning, lines, member, live pricing and suspended carts. Every change is applied to
 * memory first (the line paints at once) and then saved in order, so a reload or crash restores the cart.
 */
import {
	addSku,
	attachMember,
	detachMember,
	newCart,
	removeLine,
	setLineDiscount,
	setPriceOverride,
	setQty,
	toPricingLines,
	type Cart
} from '$lib/domain/cart';
import { DomainError } from '$lib/domain/errors';
import type { Fen } from '$lib/domain/money';
import { priceCart } from '$lib/domain/pricing/engine';
import type { ManualDiscount, PricedCart } from '$lib/domain/pricing/types';
import type { Approval } from '$lib/domain/staff';
import { findSkuByBarcode, getSku, onHand, type SkuView } from '$lib/storage/catalog';
import { deleteCart, listSuspended, loadOpenCart, resumeCart, saveCart } from '$lib/storage/carts';
import type { CartRow, MemberRow } from '$lib/storage/db';
import { newId } from '$lib/storage/ids';
import { recordApprovals } from '$lib/storage/sales';
import { enrolMember, findByLast4, findMember, normalizePhone, PhoneTakenError } from '$lib/storage/members';
import { MemberContext } from './memberContext.svelte';
import { afterNextPaint } from './frames';
import { CartSaver } from './cartSaver';
import type { AppState } from './app.svelte';
import type { SessionState } from './session.svelte';

export type MemberLookup =
	| { kind: 'attached'; member: MemberRow }
	| { kind: 'choose'; members: MemberRow[] }
	| { kind: 'unknownPhone'; phone: string }
	| { kind: 'notFound' };

export type Feedback =
	| { kind: 'added' | 'incremented'; name: string }
	| { kind: 'unknownBarcode'; code: string }
	| { kind: 'doubleFire'; code: string; skuId: string }
	| { kind: 'belowZero'; name: string; onHand: number }
	| { kind: 'error'; text: string };

export class TillState {
	cart = $state.raw<Cart>(newCart(newId(), Date.now()));
	label = $state('');
	skus = $state.raw<ReadonlyMap<string, SkuView>>(new Map());
	/** The attached member with balances, plan and pricing benefits. */
	readonly memberContext: MemberContext;
	feedback = $state.raw<Feedback | null>(null);
	/** Lines sold with more units than on hand, by SKU id (warned, still allowed unless the chain forbids). */
	belowZero = $state.raw<ReadonlyMap<string, number>>(new Map());
	suspended = $state.raw<CartRow[]>([]);
	/** Approvals given while ringing up this cart; committed with the sale. */
	approvals = $state.raw<Approval[]>([]);
	/** Line currently selected with the keyboard (arrow keys), for +/- and Delete. */
	selectedLineId = $state<string | null>(null);
	readonly #app: AppState;
	readonly #session: SessionState;
	readonly #saver: CartSaver;
	/** Stock checks of scanned lines, run after the line is painted; flush() waits for them. */
	#stockChecks: Promise<void> = Promise.resolve();

	constructor(app: AppState, session: SessionState) {
		this.#app = app;
		this.#session = session;
		this.memberContext = new MemberContext(app);
		this.#saver = new CartSaver(app.db, (error) => {
			this.#app.reportStorageError(error);
			this.feedback = { kind: 'error', text: this.#app.locale.error(error) };
		});
	}

	get member(): MemberRow | null {
		return this.memberContext.member;
	}

	/** Pricing is derived: it recomputes whenever lines, member or promotions change. */
	pricing = $derived.by((): { priced: PricedCart | null; error: unknown } => {
		const settings = this.#app.settings;
		if (!settings) return { priced: null, error: null };
		try {
			const lines = toPricingLines(this.cart, (skuId) => this.skus.get(skuId));
			// Member benefits (level or plan discount, first-purchase reward) join as synthetic promotions.
			const benefits = this.memberContext.benefits;
			const levelId = benefits?.memberLevelId ?? this.cart.memberLevelId;
			const ctx = { now: Date.now(), ...(levelId ? { memberLevelId: levelId } : {}) };
			const promotions = benefits ? [...this.#app.promotions, ...benefits.promotions] : this.#app.promotions;
			const priced = priceCart(lines, promotions, ctx, {
				rounding: settings.rounding,
				promotionsStackWithLevelPrice: settings.promotionsStackWithLevelPrice
			});
			return { priced, error: null };
		} catch (error) {
			return { priced: null, error };
		}
	});

	isEmpty = $derived(this.cart.lines.length === 0);

	async restore(): Promise<void> {
		const open = await loadOpenCart(this.#app.db);
		if (open) {
			await this.#loadSkus(open.cart.lines.map((l) => l.skuId));
			this.cart = open.cart;
			this.label = open.row.label;
			await this.memberContext.load(
				open.cart.memberId ? ((await this.#app.db.members.get(open.cart.memberId)) ?? null) : null
			);
		}
		this.suspended = await listSuspended(this.#app.db);
	}

	/** A barcode from the scanner or the input box. */
	async scan(rawCode: string, force = false): Promise<void> {
		const code = rawCode.trim();
		if (!code) return;
		this.#session.touch();
		// From memory once the catalog index is loaded: the line is added in this very task, before the next frame.
		const known = this.#app.skuIndex.lookup(code);
		const sku = known === undefined ? await findSkuByBarcode(this.#app.db, code) : (known ?? undefined);
		if (!sku || !sku.variant.active || !sku.style.active) {
			this.feedback = { kind: 'unknownBarcode', code };
			return;
		}
		await this.addSkuView(sku, code, force);
	}

	/** Adds a SKU chosen from search (or scanned). `force` adds even when it looks like a double-fire. */
	async addSkuView(sku: SkuView, barcode: string, force = false): Promise<void> {
		const settings = this.#app.settings;
		if (!settings) return;
		this.#rememberSku(sku);
		const result = addSku(this.cart, sku.variant.id, {
			barcode,
			now: Date.now(),
			lineId: newId(),
			mergeWindowMs: force ? 0 : settings.scanMergeWindowMs,
			mergePolicy: settings.scanMergePolicy
		});
		if (result.outcome === 'ignoredDoubleFire') {
			this.feedback = { kind: 'doubleFire', code: barcode, skuId: sku.variant.id };
			return;
		}
		this.#commit(result.cart);
		const line = result.cart.lines.find((l) => l.skuId === sku.variant.id);
		this.selectedLineId = line?.lineId ?? null;
		this.feedback = { kind: result.outcome, name: sku.style.name };
		this.#checkStockSoon(sku);
	}

	setQty(lineId: string, qty: number, approval?: Approval | null): void {
		if (this.#run(() => setQty(this.cart, lineId, qty, Date.now())) && approval)
			this.approvals = [...this.approvals, approval];
		const skuId = this.cart.lines.find((l) => l.lineId === lineId)?.skuId;
		const sku = skuId ? this.skus.get(skuId) : undefined;
		if (sku) this.#checkStockSoon(sku);
	}

	removeLine(lineId: string, approval?: Approval | null): void {
		if (this.#run(() => removeLine(this.cart, lineId, Date.now())) && approval)
			this.approvals = [...this.approvals, approval];
		if (this.selectedLineId === lineId) this.selectedLineId = this.cart.lines.at(-1)?.lineId ?? null;
	}

	/** Applies a line discount; the caller has already obtained any approval it needed. */
	setLineDiscount(lineId: string, discount: ManualDiscount | undefined, approval?: Approval | null): void {
		if (this.#run(() => setLineDiscount(this.cart, lineId, discount, Date.now())) && approval)
			this.approvals = [...this.approvals, approval];
	}

	setPriceOverride(lineId: string, price: Fen | undefined, approval?: Approval | null): void {
		if (this.#run(() => setPriceOverride(this.cart, lineId, price, Date.now())) && approval)
			this.approvals = [...this.approvals, approval];
	}

	/**
	 * Attaches a member by full phone, member code or the last four digits of the phone. An unknown but valid
	 * phone is offered for enrolment on the spot (支付即会员); four digits may match several members.
	 */
	async attachMemberByQuery(query: string): Promise<MemberLookup> {
		const q = query.replace(/[\s-]/g, '');
		if (/^\d{4}$/.test(q)) {
			const matches = await findByLast4(this.#app.db, q);
			if (matches.length === 1 && matches[0]) return this.attachMember(matches[0]);
			return matches.length ? { kind: 'choose', members: matches } : { kind: 'notFound' };
		}
		const member = await findMember(this.#app.db, q);
		if (member) return this.attachMember(member);
		try {
			return { kind: 'unknownPhone', phone: normalizePhone(q) };
		} catch {
			return { kind: 'notFound' };
		}
	}

	async attachMember(member: MemberRow, justEnrolled = false): Promise<MemberLookup> {
		// Load balances and benefits first, then change the cart: the cart is repriced and painted once.
		await this.memberContext.load(member, { justEnrolled });
		this.#commit(attachMember(this.cart, member.id, member.levelId, Date.now()));
		return { kind: 'attached', member };
	}

	/** 支付即会员: enrols the phone (name optional) and attaches the new member to this sale. */
	async enrolAndAttach(phone: string, name: string): Promise<MemberLookup> {
		const config = this.#app.membership;
		const staff = this.#session.current;
		const branchId = this.#app.device?.branchId;
		if (!config || !staff || !branchId) return { kind: 'notFound' };
		try {
			const entry = config.levels.reduce((a, b) => (b.rank < a.rank ? b : a));
			const member = await enrolMember(this.#app.db, {
				phone,
				name,
				staffId: staff.id,
				branchId,
				entryLevelId: entry.id,
				enrolmentPoints: config.behaviour.enrolment,
				pointsExpiry: config.pointsExpiry,
				utcOffsetMinutes: config.utcOffsetMinutes,
				deviceId: this.#app.device?.deviceId ?? ''
			});
			return this.attachMember(member, true);
		} catch (error) {
			if (error instanceof PhoneTakenError) return this.attachMember(error.member);
			this.feedback = { kind: 'error', text: this.#app.locale.error(error) };
			return { kind: 'notFound' };
		}
	}

	detachMember(): void {
		void this.memberContext.load(null);
		this.#commit(detachMember(this.cart, Date.now()));
	}

	/** Parks the open cart (customer went to try something on) and starts a new one. */
	async suspend(label: string): Promise<void> {
		if (this.isEmpty) return;
		await this.flush();
		await saveCart(this.#app.db, this.#row('suspended', label));
		this.#reset();
		this.suspended = await listSuspended(this.#app.db);
	}

	async resume(id: string): Promise<void> {
		await this.flush();
		const opened = await resumeCart(this.#app.db, id, this.#row('open', this.label));
		const cart = opened.cart;
		await this.#loadSkus(cart.lines.map((l) => l.skuId));
		this.cart = cart;
		this.label = opened.label;
		await this.memberContext.load(
			cart.memberId ? ((await this.#app.db.members.get(cart.memberId)) ?? null) : null
		);
		this.approvals = [];
		this.suspended = await listSuspended(this.#app.db);
	}

	/**
	 * Voids the whole cart. The caller asks for approval when required; approvals given while ringing it up
	 * (and the void's own) are kept for the audit trail even though no sale follows.
	 */
	async clear(voidApproval?: Approval | null): Promise<void> {
		await this.flush();
		const voided = this.cart.id;
		await recordApprovals(
			this.#app.db,
			[...this.approvals, ...(voidApproval ? [voidApproval] : [])].map((a) => ({
				...a,
				detail: { ...a.detail, voidedCart: voided }
			}))
		);
		await deleteCart(this.#app.db, this.cart.id);
		this.#reset();
	}

	/** After a completed sale: the committed transaction already deleted the cart row. */
	startNewCart(): void {
		this.#reset();
	}

	/** Waits until the cart as it is now has reached IndexedDB and every stock check of its lines has answered. */
	async flush(): Promise<void> {
		await this.#stockChecks;
		await this.#saver.flush();
	}

	#reset(): void {
		// The old cart is saved (suspend), deleted (clear) or sold (its row went with the sale): never write it again.
		this.#saver.drop();
		this.cart = newCart(newId(), Date.now());
		this.label = '';
		void this.memberContext.load(null);
		this.feedback = null;
		this.approvals = [];
		this.belowZero = new Map();
		this.selectedLineId = null;
	}

	#run(change: () => Cart): boolean {
		try {
			this.#commit(change());
			return true;
		} catch (error) {
			this.feedback = { kind: 'error', text: this.#app.locale.error(error) };
			if (!(error instanceof DomainError)) console.error(error);
			return false;
		}
	}

	/** Applies a change in memory (the line paints at once) and hands the cart to the coalesced saver. */
	#commit(cart: Cart): void {
		this.cart = cart;
		this.#saver.save(this.#row('open', this.label));
	}

	#row(status: CartRow['status'], label: string): CartRow {
		// The cart is immutable ($state.raw, replaced on every change): IndexedDB's structured clone copies it.
		return {
			id: this.cart.id,
			status,
			label,
			staffId: this.#session.current?.id ?? '',
			cart: this.cart,
			updatedAt: Date.now()
		};
	}

	#rememberSku(sku: SkuView): void {
		if (this.skus.get(sku.variant.id) === sku) return;
		const next = new Map(this.skus);
		next.set(sku.variant.id, sku);
		this.skus = next;
	}

	async #loadSkus(skuIds: string[]): Promise<void> {
		const next = new Map(this.skus);
		for (const id of skuIds) {
			if (next.has(id)) continue;
			const sku = await getSku(this.#app.db, id);
			if (sku) next.set(id, sku);
		}
		this.skus = next;
	}

	/** Checks stock once the new line has been painted (the fold is an IndexedDB read, off the scan's path). */
	#checkStockSoon(sku: SkuView): void {
		this.#stockChecks = this.#stockChecks
			.then(afterNextPaint)
			.then(() => this.#checkStock(sku))
			.catch((error: unknown) => this.#app.reportStorageError(error));
	}

	async #checkStock(sku: SkuView): Promise<void> {
		const branchId = this.#app.device?.branchId;
		if (!branchId) return;
		const inCart = this.cart.lines.filter((l) => l.skuId === sku.variant.id).reduce((n, l) => n + l.qty, 0);
		const available = await onHand(this.#app.db, sku.variant.id, branchId);
		const short = inCart > available;
		// Replace the map only when the warning changes: a new map would repaint every line after each scan.
		if (
			short === this.belowZero.has(sku.variant.id) &&
			(!short || this.belowZero.get(sku.variant.id) === available)
		)
			return;
		const next = new Map(this.belowZero);
		if (short) {
			next.set(sku.variant.id, available);
			this.feedback = { kind: 'belowZero', name: sku.style.name, onHand: available };
		} else next.delete(sku.variant.id);
		this.belowZero = next;
	}
}
