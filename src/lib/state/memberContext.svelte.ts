/**
 * The member attached to the open cart: their profile, balances (folds over the ledger), active paid plan,
 * level rule and the pricing benefits that follow from them. Loaded once on attach; the scan path only reads.
 */
import {
	memberPricingBenefits,
	birthdayStatus,
	type MemberPricingBenefits
} from '$lib/domain/members/benefits';
import { activePlan } from '$lib/domain/members/plans';
import { maxPointsForSale } from '$lib/domain/ledger/points';
import type { LevelRule, PaidPlan, PlanSubscription } from '$lib/domain/members/types';
import { chainSpend } from '$lib/domain/members/levelReview';
import { ZERO, type Fen } from '$lib/domain/money';
import type { MemberRow } from '$lib/storage/db';
import { memberFacts, type MemberBalances } from '$lib/storage/members';
import type { AppState } from './app.svelte';

export class MemberContext {
	member = $state.raw<MemberRow | null>(null);
	balances = $state.raw<MemberBalances | null>(null);
	subscription = $state.raw<PlanSubscription | null>(null);
	/** No earlier sale on this till's records (and enrolled in this cart, or never bought): first-purchase reward. */
	firstPurchase = $state(false);
	/** Member spend in the level window before this sale (for upgrade-at-sale). */
	spendInWindow = $state<Fen>(ZERO);
	/** Points earned in the level window before this sale (for levels that qualify by points). */
	pointsInWindow = $state(0);
	readonly #app: AppState;
	#loads = 0;

	constructor(app: AppState) {
		this.#app = app;
	}

	levelRule = $derived.by((): LevelRule | null => {
		const id = this.member?.levelId;
		return this.#app.membership?.levels.find((l) => l.id === id) ?? null;
	});

	plan = $derived.by((): PaidPlan | null => {
		const sub = this.subscription;
		return sub ? (this.#app.plans.find((p) => p.id === sub.planId) ?? null) : null;
	});

	/** Level discount, plan discount and the first-purchase reward, as promotions for the pricing engine. */
	benefits = $derived.by((): MemberPricingBenefits | null => {
		const rule = this.levelRule;
		const config = this.#app.membership;
		if (!this.member || !rule || !config) return null;
		const sub = this.subscription;
		const plan = this.plan;
		return memberPricingBenefits({
			levelRule: rule,
			...(sub && plan ? { activePlan: { plan, subscription: sub } } : {}),
			isFirstPurchase: this.firstPurchase,
			...(config.firstPurchaseReward ? { firstPurchaseReward: config.firstPurchaseReward } : {}),
			now: Date.now()
		});
	});

	points = $derived(this.balances?.points?.balance ?? 0);
	storedValue = $derived(this.balances?.storedValue?.total ?? ZERO);
	/** A ledger that does not fold blocks spending until a manager reconciles it. */
	blocked = $derived(!!this.balances?.problem);
	birthday = $derived.by(() =>
		this.member
			? birthdayStatus(this.member, Date.now(), this.#app.membership?.utcOffsetMinutes ?? 480)
			: 'none'
	);

	/** The most points this order may use, and what they are worth. */
	maxPoints(total: Fen, due: Fen): { points: number; value: Fen } {
		const policy = this.#app.membership?.pointsTender;
		if (!policy || this.blocked) return { points: 0, value: ZERO };
		return maxPointsForSale(total, this.points, policy, due);
	}

	/**
	 * Attaches (or with null, clears) the member. Everything is read first and then assigned in one synchronous
	 * step, so the cart is repriced and painted once, not once per query.
	 */
	async load(member: MemberRow | null, options: { justEnrolled?: boolean } = {}): Promise<void> {
		const ticket = ++this.#loads;
		if (!member) {
			this.#assign(null, null, null, false, ZERO, 0);
			return;
		}
		const db = this.#app.db;
		const now = Date.now();
		const windowDays = this.#app.membership?.levelPolicy.windowDays ?? 365;
		const { balances, subscriptions, sales, points, purchases } = await memberFacts(db, member.id, now);
		if (ticket !== this.#loads) return; // another member was attached meanwhile
		// First purchase: no sale on record here or at any branch, and no points history beyond behaviour awards (a
		// member imported or migrated with history is not new, even if this till has never sold to them).
		const behaviourOnly = points.every(
			(e) => e.kind === 'earn' && /^(enrolment|profileCompleted|bday):/.test(e.id)
		);
		const from = now - windowDays * 86_400_000;
		this.#assign(
			member,
			balances,
			activePlan(subscriptions, now) ?? null,
			options.justEnrolled === true || (sales.length === 0 && purchases.length === 0 && behaviourOnly),
			chainSpend(sales, purchases, member.id, from),
			points.filter((e) => e.kind === 'earn' && e.createdAt >= from).reduce((sum, e) => sum + e.amount, 0)
		);
	}

	#assign(
		member: MemberRow | null,
		balances: MemberBalances | null,
		subscription: PlanSubscription | null,
		firstPurchase: boolean,
		spendInWindow: Fen,
		pointsInWindow: number
	): void {
		this.member = member;
		this.balances = balances;
		this.subscription = subscription;
		this.firstPurchase = firstPurchase;
		this.spendInWindow = spendInWindow;
		this.pointsInWindow = pointsInWindow;
	}
}
