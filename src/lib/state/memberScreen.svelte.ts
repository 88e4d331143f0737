/**
 * One member on the member screen: profile, balances (folds), change history, statement, paid plan and gift stock,
 * and the actions staff take there (edit, top-up, plan, redemption, adjustment, refund, PIPL deletion). Each action
 * returns an Outcome: the page shows the translated message, and nothing was written when it is not ok.
 */
import { overdraftOf } from '$lib/domain/ledger/reconcile';
import { DomainError } from '$lib/domain/errors';
import { foldStoredValue } from '$lib/domain/ledger/fold';
import { pointsExpiry } from '$lib/domain/ledger/points';
import { memberStatement, type StatementRow } from '$lib/domain/ledger/statement';
import { bonusExpiry } from '$lib/domain/ledger/storedValue';
import type { LedgerEntry, StoredValueBucket } from '$lib/domain/ledger/types';
import { birthdayStatus, type BirthdayStatus } from '$lib/domain/members/benefits';
import { activePlan, paidUntil } from '$lib/domain/members/plans';
import { maskPhone, type ProfilePatch } from '$lib/domain/members/profile';
import type { PaidPlan, PlanSubscription, ProfileChange } from '$lib/domain/members/types';
import { fen, toDecimalString, ZERO, type Fen } from '$lib/domain/money';
import { atLeast, type Role } from '$lib/domain/staff';
import type { Tender } from '$lib/domain/tender';
import type { MemberRow } from '$lib/storage/db';
import { memberEntries } from '$lib/storage/ledger';
import {
	commitAdjustment,
	commitOverdraftDebt,
	commitPlanPurchase,
	commitRedemption,
	commitTopUp
} from '$lib/storage/memberMoney';
import {
	giftStockAt,
	memberSubscriptions,
	statementLookups,
	commitStoredValueRefund
} from '$lib/storage/memberQueries';
import {
	deleteMemberData,
	editMember,
	memberBalances,
	PhoneTakenError,
	profileHistory,
	type MemberBalances
} from '$lib/storage/members';
import type { AppState } from './app.svelte';
import type { SessionState } from './session.svelte';

/** Managers and the owner: adjustments, refunds, imports and personal data. */
export function isManager(role: Role | undefined): boolean {
	return role !== undefined && atLeast(role, 'manager');
}

/** Managers and the owner may see personal data (full phone, address); cashiers see 138****1234. */
export const canSeePersonalData = isManager;

export function shownPhone(phone: string, role: Role | undefined): string {
	return canSeePersonalData(role) ? phone : maskPhone(phone);
}

/** A level's display name from the programme's rules, else the catalog's level list, else its id. */
export function levelName(app: AppState, levelId: string): string {
	return (
		app.membership?.levels.find((l) => l.id === levelId)?.name ??
		app.levels.find((l) => l.id === levelId)?.name ??
		levelId
	);
}

export type Outcome = { ok: true; message?: string } | { ok: false; message: string; member?: MemberRow };

export interface AdjustInput {
	account: 'points' | 'storedValue';
	direction: 'in' | 'out';
	/** Points, or fen for stored value. */
	amount: number;
	bucket: StoredValueBucket;
	reason: string;
}

export class MemberScreen {
	member = $state.raw<MemberRow | null | undefined>(undefined);
	balances = $state.raw<MemberBalances | null>(null);
	history = $state.raw<ProfileChange[]>([]);
	entries = $state.raw<LedgerEntry[]>([]);
	statement = $state.raw<StatementRow[]>([]);
	subscriptions = $state.raw<PlanSubscription[]>([]);
	giftStock = $state.raw<Map<string, number>>(new Map());
	/** Receipt numbers behind statement rows, for links to the sale. */
	saleIds = $state.raw<Set<string>>(new Set());
	busy = $state(false);
	now = $state(Date.now());
	readonly #app: AppState;
	readonly #session: SessionState;
	readonly id: string;

	constructor(app: AppState, session: SessionState, id: string) {
		this.#app = app;
		this.#session = session;
		this.id = id;
	}

	get role(): Role | undefined {
		return this.#session.current?.role;
	}

	config = $derived.by(() => this.#app.membership);
	offset = $derived.by(() => this.#app.membership?.utcOffsetMinutes ?? 480);
	anonymized = $derived(this.member?.anonymizedAt !== undefined);
	levelRule = $derived(this.config?.levels.find((l) => l.id === this.member?.levelId));
	plan = $derived.by(() => {
		const subscription = activePlan(this.subscriptions, this.now);
		const plan = subscription && this.#app.plans.find((p) => p.id === subscription.planId);
		return subscription && plan
			? { plan, subscription, until: paidUntil(this.subscriptions, this.id, this.now) ?? subscription.endsAt }
			: null;
	});
	birthday = $derived<BirthdayStatus>(
		this.member ? birthdayStatus(this.member, this.now, this.offset) : 'none'
	);
	perks = $derived([...new Set([...(this.levelRule?.perks ?? []), ...(this.plan?.plan.perks ?? [])])]);
	points = $derived(this.balances?.points?.balance ?? 0);
	/** An offline overdraft the ledger reports, which a manager can settle as a debt (domain/ledger/reconcile.ts). */
	overdraft = $derived(overdraftOf(this.balances?.problem));
	storedValue = $derived(this.balances?.storedValue ?? null);

	/** (Re)reads everything about this member. The id comes from the address: an unknown id shows "not found". */
	async load(): Promise<void> {
		const db = this.#app.db;
		const member = await db.members.get(this.id);
		if (!member) {
			this.member = null;
			return;
		}
		this.now = Date.now();
		const [balances, history, entries, subscriptions, giftStock] = await Promise.all([
			memberBalances(db, this.id, this.now),
			profileHistory(db, this.id),
			memberEntries(db, this.id),
			memberSubscriptions(db, this.id),
			giftStockAt(db, this.#app.device?.branchId ?? '')
		]);
		const lookups = await statementLookups(db, entries);
		this.member = member;
		this.balances = balances;
		this.history = history;
		this.entries = entries;
		this.statement = memberStatement(entries, lookups).reverse();
		this.saleIds = new Set(lookups.sales.keys());
		this.subscriptions = subscriptions;
		this.giftStock = giftStock;
	}

	/** Runs a write; on success reloads, on failure translates the error. Never runs two at once. */
	async #run(write: () => Promise<string | undefined | void>): Promise<Outcome> {
		if (this.busy) return { ok: false, message: this.#app.locale.t('members.busy') };
		this.busy = true;
		let message: string | undefined | void;
		try {
			message = await write();
		} catch (error) {
			this.#app.reportStorageError(error);
			if (error instanceof PhoneTakenError)
				return { ok: false, message: this.#app.locale.t('members.phoneTaken'), member: error.member };
			return { ok: false, message: this.#app.locale.error(error) };
		} finally {
			this.busy = false;
		}
		// The write is committed: a failed re-read must not report it as failed (the next load shows it).
		await this.load().catch(() => undefined);
		void this.#app.refreshUnsynced();
		return message ? { ok: true, message } : { ok: true };
	}

	#staff() {
		const staff = this.#session.current;
		if (!staff) throw new Error('nobody is signed in');
		return staff;
	}

	#config() {
		if (!this.config) throw new Error('this chain has no membership programme');
		return this.config;
	}

	edit(patch: ProfilePatch): Promise<Outcome> {
		return this.#run(async () => {
			await editMember(this.#app.db, this.id, patch, this.#staff().id, this.offset);
		});
	}

	topUp(amount: Fen, tenders: Tender[]): Promise<Outcome> {
		return this.#run(async () => {
			const row = await commitTopUp(this.#app.db, {
				memberId: this.id,
				levelId: this.member?.levelId ?? '',
				amount,
				tenders,
				config: this.#config(),
				till: this.#app.tillContext(this.#staff())
			});
			return this.#app.locale.t('members.topUp.done', {
				number: row.number,
				principal: this.#app.locale.money(row.principal),
				bonus: this.#app.locale.money(row.bonus)
			});
		});
	}

	buyPlan(plan: PaidPlan, tenders: Tender[]): Promise<Outcome> {
		return this.#run(async () => {
			const { sale, subscription } = await commitPlanPurchase(this.#app.db, {
				member: { id: this.id, phoneMasked: maskPhone(this.member?.phone ?? '') },
				plan,
				tenders,
				utcOffsetMinutes: this.offset,
				till: this.#app.tillContext(this.#staff())
			});
			return this.#app.locale.t('members.plan.done', {
				number: sale.number,
				name: plan.name,
				end: this.#app.locale.dateTime(subscription.endsAt)
			});
		});
	}

	redeem(giftId: string, qty: number, tenders: Tender[]): Promise<Outcome> {
		return this.#run(async () => {
			const till = this.#app.tillContext(this.#staff());
			const row = await commitRedemption(this.#app.db, { memberId: this.id, giftId, qty, tenders, till });
			const gift = this.#app.gifts.find((g) => g.id === giftId);
			return this.#app.locale.t('members.redeem.done', {
				name: gift?.name ?? giftId,
				qty,
				points: row.points
			});
		});
	}

	/** Manual adjustment (manager or owner: the page offers it only to them; checked again here). */
	adjust(input: AdjustInput): Promise<Outcome> {
		return this.#run(async () => {
			const staff = this.#staff();
			if (!isManager(staff.role)) throw new Error('only a manager or the owner may adjust');
			if (!input.reason.trim()) throw new DomainError('ledger.reasonRequired', {});
			const config = this.config;
			const now = Date.now();
			const expiresAt =
				input.direction !== 'in' || !config
					? undefined
					: input.account === 'points'
						? pointsExpiry(now, config.pointsExpiry, config.utcOffsetMinutes)
						: input.bucket === 'bonus'
							? bonusExpiry(now, config.bonusExpiry, config.utcOffsetMinutes)
							: undefined;
			if (input.account === 'storedValue' && input.direction === 'out') this.#checkStoredValueOut(input);
			await commitAdjustment(this.#app.db, {
				memberId: this.id,
				account: input.account,
				direction: input.direction,
				amount: input.amount,
				...(input.account === 'storedValue' ? { bucket: input.bucket } : {}),
				reason: input.reason,
				staffId: staff.id,
				approval: null,
				deviceId: this.#app.device?.deviceId ?? '',
				...(expiresAt === undefined ? {} : { expiresAt })
			});
		});
	}

	/** commitAdjustment refuses an overdraft too; checking first names the balance in the cashier's message. */
	#checkStoredValueOut(input: AdjustInput): void {
		const fold = foldStoredValue(this.entries, Date.now());
		if (!fold.ok) throw fold.violation;
		const held = Math.max(0, input.bucket === 'bonus' ? fold.value.bonus : fold.value.principal);
		if (input.amount > held) {
			const money = (n: number) => toDecimalString(fen(n));
			throw new DomainError('storedValue.insufficient', {
				amount: money(input.amount),
				balance: money(fold.value.total),
				principal: money(fold.value.principal),
				bonus: money(fold.value.bonus)
			});
		}
	}

	refund(reason: string): Promise<Outcome> {
		return this.#run(async () => {
			const staff = this.#staff();
			if (!isManager(staff.role)) throw new Error('only a manager or the owner may refund');
			const done = await commitStoredValueRefund(this.#app.db, {
				memberId: this.id,
				reason,
				staffId: staff.id,
				deviceId: this.#app.device?.deviceId ?? ''
			});
			if (!done) return this.#app.locale.t('members.refund.nothing');
			return this.#app.locale.t('members.refund.done', {
				principal: this.#app.locale.money(done.principal),
				bonus: this.#app.locale.money(done.forfeitBonus)
			});
		});
	}

	/** Records the overdraft as the member's debt, so points and stored value work again (manager or owner). */
	settleOverdraft(reason: string): Promise<Outcome> {
		return this.#run(async () => {
			const staff = this.#staff();
			if (!isManager(staff.role)) throw new Error('only a manager or the owner may settle an overdraft');
			const overdraft = this.overdraft;
			if (!overdraft) return;
			try {
				const next = await commitOverdraftDebt(this.#app.db, {
					memberId: this.id,
					overdraft,
					staffId: staff.id,
					reason,
					deviceId: this.#app.device?.deviceId ?? ''
				});
				return this.#app.locale.t(next ? 'members.reconcile.next' : 'members.reconcile.done');
			} catch (error) {
				// Stale (settled elsewhere meanwhile): show what is true now.
				await this.load().catch(() => undefined);
				throw error;
			}
		});
	}

	/** PIPL deletion (owner only). */
	deletePersonalData(): Promise<Outcome> {
		return this.#run(async () => {
			if (this.#staff().role !== 'owner') throw new Error('only the owner may delete personal data');
			await deleteMemberData(this.#app.db, this.id);
			return this.#app.locale.t('members.delete.done');
		});
	}

	/** Refundable principal and bonus that closing the card would forfeit (for the refund dialog). */
	refundable = $derived.by(() => {
		const sv = this.storedValue;
		return {
			principal: sv ? (Math.max(0, sv.principal) as Fen) : ZERO,
			bonus: sv ? (Math.max(0, sv.bonus) as Fen) : ZERO
		};
	});
}
