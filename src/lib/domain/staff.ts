/**
 * Staff, roles and the approval policy: which till actions a role may do alone and which need a manager's or the
 * owner's PIN. Also PIN lockout and idle auto-lock as pure state machines (the clock is always passed in).
 */
import { DomainError, type DomainErrorParams } from './errors';
import { toDecimalString, type BasisPoints, type Fen } from './money';

export type Role = 'cashier' | 'manager' | 'owner';

const RANK: Record<Role, number> = { cashier: 0, manager: 1, owner: 2 };

/** True when `role` is `min` or higher (cashier < manager < owner). */
export function atLeast(role: Role, min: Role): boolean {
	return RANK[role] >= RANK[min];
}

/** A member of staff as the till knows them. The PIN hash is computed outside the domain (WebCrypto). */
export interface Staff {
	id: string;
	name: string;
	role: Role;
	/** Branches this person may work at; owners may work at every branch. */
	branchIds: string[];
	pinHash: string;
	active: boolean;
}

/** Whether this person may log in at this branch. */
export function canWorkAt(staff: Staff, branchId: string): boolean {
	return staff.active && (staff.role === 'owner' || staff.branchIds.includes(branchId));
}

/** The chain's approval policy. Owners are unlimited. */
export interface Permissions {
	/** Largest line discount a cashier may give alone (1000 = 10 %). */
	cashierMaxDiscountBp: BasisPoints;
	/** Largest line discount a manager may give or approve; above it the owner must approve. */
	managerMaxDiscountBp: BasisPoints;
	/** Lowest role that may override a price (the implied discount must also be within that role's limit). */
	priceOverrideMinRole: Role;
	/** A line may be removed by anyone within this many ms of being scanned (fixing a mis-scan). */
	freeRemoveWindowMs: number;
	/** Lowest role that may remove a line later, or at any time once payment has started. */
	removeLineMinRole: Role;
	/** Lowest role that may void a cart that has lines. */
	voidCartMinRole: Role;
	/** Lowest role that may open the cash drawer without a sale. */
	openDrawerMinRole: Role;
}

/** Sensible defaults: cashier 10 %, manager 30 %, owner unlimited; overrides, late removals, voids need a manager. */
export const defaultPermissions: Permissions = {
	cashierMaxDiscountBp: 1000,
	managerMaxDiscountBp: 3000,
	priceOverrideMinRole: 'manager',
	freeRemoveWindowMs: 60_000,
	removeLineMinRole: 'manager',
	voidCartMinRole: 'manager',
	openDrawerMinRole: 'manager'
};

/**
 * A till action that may need approval.
 * - lineDiscount: a manual discount, as basis points of the line (use impliedDiscountBp for an amount).
 * - priceOverride: keying in a unit price instead of the list price.
 * - removeLine: removing a line or lowering its quantity. Decision: free within `freeRemoveWindowMs` of the scan
 *   and before any tender is entered (mis-scans and changed minds are constant, and a manager asked for every one
 *   learns to approve blindly); later, or once payment has started, it is the classic skim (take the cash, delete
 *   the line), so it needs `removeLineMinRole`.
 * - voidCart: abandoning a cart that has lines.
 * - openDrawer: opening the drawer with no sale.
 */
export type ApprovalAction =
	| { kind: 'lineDiscount'; bp: BasisPoints }
	| { kind: 'priceOverride'; listPrice: Fen; newPrice: Fen }
	| { kind: 'removeLine'; lineAgeMs: number; paymentStarted: boolean }
	| { kind: 'voidCart' }
	| { kind: 'openDrawer' };

export type ApprovalActionKind = ApprovalAction['kind'];

/**
 * The discount that selling at `net` instead of `list` amounts to, in basis points, rounded up so a limit is never
 * exceeded by rounding (¥100 -> ¥89.99 is 1001 bp, over a 10 % limit). 0 when net >= list.
 */
export function impliedDiscountBp(list: Fen, net: Fen): BasisPoints {
	if (list <= 0 || net >= list) return 0;
	return Math.ceil(((list - Math.max(net, 0)) * 10000) / list);
}

function discountRole(bp: BasisPoints, policy: Permissions): Role {
	if (!Number.isSafeInteger(bp) || bp < 0 || bp > 10000)
		throw new DomainError('cart.badDiscount', { value: String(bp) });
	if (bp <= policy.cashierMaxDiscountBp) return 'cashier';
	if (bp <= policy.managerMaxDiscountBp) return 'manager';
	return 'owner';
}

function higher(a: Role, b: Role): Role {
	return RANK[a] >= RANK[b] ? a : b;
}

/** The lowest role that may perform `action` under `policy`. */
export function minimumRole(action: ApprovalAction, policy: Permissions = defaultPermissions): Role {
	switch (action.kind) {
		case 'lineDiscount':
			return discountRole(action.bp, policy);
		case 'priceOverride':
			return higher(
				policy.priceOverrideMinRole,
				discountRole(impliedDiscountBp(action.listPrice, action.newPrice), policy)
			);
		case 'removeLine':
			return !action.paymentStarted && action.lineAgeMs < policy.freeRemoveWindowMs
				? 'cashier'
				: policy.removeLineMinRole;
		case 'voidCart':
			return policy.voidCartMinRole;
		case 'openDrawer':
			return policy.openDrawerMinRole;
	}
}

/** null if `role` may do `action` alone, else the minimum role that must approve it. */
export function requiredApproval(
	action: ApprovalAction,
	role: Role,
	policy: Permissions = defaultPermissions
): Role | null {
	const needed = minimumRole(action, policy);
	return atLeast(role, needed) ? null : needed;
}

/** An approval given at the till, kept for the audit trail and referenced from the sale. */
export interface Approval {
	id: string;
	action: ApprovalActionKind;
	/** What was approved, as flat values (e.g. bp, prices as "12.34"), for the audit screen. */
	detail: DomainErrorParams;
	requestedBy: string;
	approvedBy: string;
	approverRole: Role;
	saleId?: string;
	createdAt: number;
}

/** Flattens an action into audit detail; prices are exact decimal strings. */
export function approvalDetail(action: ApprovalAction): DomainErrorParams {
	switch (action.kind) {
		case 'lineDiscount':
			return { bp: action.bp };
		case 'priceOverride':
			return { listPrice: toDecimalString(action.listPrice), newPrice: toDecimalString(action.newPrice) };
		case 'removeLine':
			return { lineAgeMs: action.lineAgeMs, paymentStarted: action.paymentStarted ? 1 : 0 };
		case 'voidCart':
		case 'openDrawer':
			return {};
	}
}

/** Input for makeApproval. */
export interface ApprovalRequest {
	id: string;
	action: ApprovalAction;
	requestedBy: Staff;
	approver: Staff;
	now: number;
	saleId?: string;
	/** Extra audit detail (line id, sku, reason). */
	detail?: DomainErrorParams;
	policy?: Permissions;
}

/**
 * Records an approval after the approver's PIN was checked. Refuses self-approval (staff.selfApproval) and an
 * approver who is inactive or below the required role (staff.notAllowed, with the role that is needed).
 */
export function makeApproval(request: ApprovalRequest): Approval {
	const { id, action, requestedBy, approver, now, saleId } = request;
	if (approver.id === requestedBy.id) throw new DomainError('staff.selfApproval', { name: approver.name });
	const needed = minimumRole(action, request.policy ?? defaultPermissions);
	if (!approver.active || !atLeast(approver.role, needed))
		throw new DomainError('staff.notAllowed', { name: approver.name, role: needed, action: action.kind });
	const approval: Approval = {
		id,
		action: action.kind,
		detail: { ...approvalDetail(action), ...request.detail },
		requestedBy: requestedBy.id,
		approvedBy: approver.id,
		approverRole: approver.role,
		createdAt: now
	};
	if (saleId !== undefined) approval.saleId = saleId;
	return approval;
}

/** PIN attempts of one person on one till. */
export interface PinLockState {
	/** Consecutive failures since the last lockout or success. */
	failures: number;
	/** Lockouts so far in this streak; each one doubles the next lock. */
	lockouts: number;
	lockedUntil?: number;
	lastFailureAt?: number;
}

/** Lockout tuning. */
export interface PinPolicy {
	maxFailures: number;
	baseLockMs: number;
	/** Doubling stops here, so a cashier is never locked out for a whole shift. */
	maxLockMs: number;
	/** A streak is forgotten after this long without failures. */
	resetAfterMs: number;
}

/** 5 failures -> locked 60 s; each further lockout doubles (2, 4, 8 min ...) up to 1 h; forgotten after 24 h. */
export const defaultPinPolicy: PinPolicy = {
	maxFailures: 5,
	baseLockMs: 60_000,
	maxLockMs: 3_600_000,
	resetAfterMs: 86_400_000
};

/** No failures, not locked. */
export const initialPinState: PinLockState = { failures: 0, lockouts: 0 };

/** True while the lock is in force. */
export function isLocked(state: PinLockState, now: number): boolean {
	return state.lockedUntil !== undefined && now < state.lockedUntil;
}

/** Milliseconds left on the lock (0 when not locked). */
export function lockRemainingMs(state: PinLockState, now: number): number {
	return isLocked(state, now) ? (state.lockedUntil as number) - now : 0;
}

/** Throws staff.locked with the seconds to wait, if locked. */
export function assertNotLocked(state: PinLockState, now: number): void {
	if (isLocked(state, now))
		throw new DomainError('staff.locked', { seconds: Math.ceil(lockRemainingMs(state, now) / 1000) });
}

/**
 * Counts a wrong PIN. The `maxFailures`-th failure locks for baseLockMs x 2^(previous lockouts), capped at
 * maxLockMs. Attempts while locked are not counted (the UI refuses them; counting them would extend the lock).
 */
export function recordPinFailure(
	state: PinLockState,
	now: number,
	policy: PinPolicy = defaultPinPolicy
): PinLockState {
	if (isLocked(state, now)) return state;
	const fresh = state.lastFailureAt === undefined || now - state.lastFailureAt >= policy.resetAfterMs;
	const base = fresh ? initialPinState : state;
	const failures = base.failures + 1;
	if (failures < policy.maxFailures) return { failures, lockouts: base.lockouts, lastFailureAt: now };
	const lockMs = Math.min(policy.baseLockMs * 2 ** base.lockouts, policy.maxLockMs);
	return { failures: 0, lockouts: base.lockouts + 1, lockedUntil: now + lockMs, lastFailureAt: now };
}

/** A correct PIN clears the streak. */
export function recordPinSuccess(): PinLockState {
	return initialPinState;
}

/** Whether the till should lock after `idleMs` without activity. idleMs <= 0 disables auto-lock. */
export function shouldAutoLock(lastActivityAt: number, now: number, idleMs: number): boolean {
	if (idleMs <= 0) return false;
	// A clock step backwards (now < lastActivityAt) counts as activity, not as idleness.
	return now - lastActivityAt >= idleMs;
}
