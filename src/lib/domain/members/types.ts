/**
 * Membership records shared by the member modules. Derived facts (level, balances, last visit) are computed from
 * ledgers and sales, never stored in replicated records (ARCHITECTURE.md).
 */
import type { BasisPoints, Fen } from '../money';
import type { LevelId } from '../catalog';

export type MemberId = string;

export type Gender = 'female' | 'male' | 'unspecified';

/** A member's profile. Phone is unique in the chain (two offline enrolments are merged later, audited). */
export interface MemberProfile {
	id: MemberId;
	/** Member code printed on the e-card / scanned at the till, e.g. "M0001234". */
	code: string;
	/** Mainland mobile, 11 digits. Empty after a PIPL deletion. */
	phone: string;
	name: string;
	gender: Gender;
	/** YYYY-MM-DD or '' */
	birthday: string;
	address: string;
	tags: string[];
	notes: string;
	homeBranchId: string;
	marketingConsent: boolean;
	/** The level assigned by the last evaluation (upgrade at a sale, downgrade on schedule). */
	levelId: LevelId;
	/** When the level was last changed (for the downgrade grace period). */
	levelSince: number;
	enrolledAt: number;
	enrolledBy: string;
	/** Set when the person asked to be forgotten (PIPL): personal fields are blanked, ledgers stay exact. */
	anonymizedAt?: number;
	updatedAt: number;
}

/** One audited change of one profile field. */
export interface ProfileChange {
	id: string;
	memberId: MemberId;
	field: keyof MemberProfile;
	/** Old and new values as display strings. */
	from: string;
	to: string;
	staffId: string;
	at: number;
}

/** A member level with its qualification rule and benefits (names and count configurable). */
export interface LevelRule {
	id: LevelId;
	name: string;
	rank: number;
	/** Qualify by spend (fen) or points earned within the rolling window; 0 = entry level. */
	qualifyBy: 'spend' | 'points';
	threshold: number;
	/** Benefits */
	discountBp: BasisPoints;
	pointsMultiplierBp: BasisPoints;
	birthdayBonusPoints: number;
	perks: string[];
}

export interface LevelPolicy {
	/** Rolling window for qualification, in days (e.g. 365). */
	windowDays: number;
	/** Days a member keeps a level after falling below it before the scheduled downgrade applies. */
	graceDays: number;
}

export type PlanPeriod = 'monthly' | 'quarterly' | 'annual';

/** A paid membership plan (付费会员) sold at the till like a product. */
export interface PaidPlan {
	id: string;
	name: string;
	period: PlanPeriod;
	price: Fen;
	discountBp: BasisPoints;
	pointsMultiplierBp: BasisPoints;
	perks: string[];
	active: boolean;
}

/** A member's purchase of a plan: active from startsAt (inclusive) to endsAt (exclusive). */
export interface PlanSubscription {
	id: string;
	memberId: MemberId;
	planId: string;
	startsAt: number;
	endsAt: number;
	saleId: string;
	createdAt: number;
}
