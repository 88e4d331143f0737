/**
 * Who is at the till: PIN sign-in with lockout, auto-lock after idle, and manager approval on the cashier's
 * screen. Approvals are returned as records so the sale that needed them commits them in its transaction.
 */
import type { Approval, ApprovalAction, Role, Staff } from '$lib/domain/staff';
import { atLeast, makeApproval, requiredApproval } from '$lib/domain/staff';
import type { DomainErrorParams } from '$lib/domain/errors';
import { SignInAttempts } from './signInAttempts';
import { verifyPin } from '$lib/storage/pin';
import { newId } from '$lib/storage/ids';
import type { AppState } from './app.svelte';

export interface PendingApproval {
	action: ApprovalAction;
	detail: DomainErrorParams;
	minimumRole: Role;
	resolve: (approval: Approval | null) => void;
}

export class SessionState {
	staff = $state.raw<Staff[]>([]);
	current = $state.raw<Staff | null>(null);
	locked = $state(false);
	lastActivityAt = $state(Date.now());
	pendingApproval = $state.raw<PendingApproval | null>(null);
	readonly attempts = new SignInAttempts();
	#app: AppState;
	#idleTimer: ReturnType<typeof setInterval> | undefined;

	constructor(app: AppState) {
		this.#app = app;
	}

	/** Staff who may sign in at this till's branch. */
	branchStaff = $derived(
		this.staff.filter(
			(s) => s.active && (s.role === 'owner' || s.branchIds.includes(this.#app.device?.branchId ?? ''))
		)
	);

	async load(): Promise<void> {
		this.staff = await this.#app.db.staff.toArray();
		this.#idleTimer ??= setInterval(() => this.#checkIdle(), 5_000);
	}

	/** Returns 'ok', 'wrongPin' or 'locked' (with the lock's end time in `attempts`). */
	async signIn(staffId: string, pin: string): Promise<'ok' | 'wrongPin' | 'locked'> {
		const now = Date.now();
		if (this.attempts.isLocked(staffId, now)) return 'locked';
		const member = this.staff.find((s) => s.id === staffId && s.active);
		if (!member || !(await verifyPin(member.id, pin, member.pinHash))) {
			this.attempts.fail(staffId, now);
			return this.attempts.isLocked(staffId, now) ? 'locked' : 'wrongPin';
		}
		this.attempts.succeed(staffId);
		this.current = member;
		this.locked = false;
		this.touch();
		return 'ok';
	}

	/** Stops the idle-lock timer (tests and hot reload). */
	destroy(): void {
		clearInterval(this.#idleTimer);
		this.#idleTimer = undefined;
	}

	signOut(): void {
		this.current = null;
		this.locked = false;
	}

	/** Locks the screen; the open cart stays and the same or another staff member unlocks with a PIN. */
	lock(): void {
		if (this.current) this.locked = true;
	}

	touch(): void {
		this.lastActivityAt = Date.now();
	}

	#checkIdle(): void {
		const minutes = this.#app.settings?.idleLockMinutes ?? 5;
		if (this.current && !this.locked && Date.now() - this.lastActivityAt > minutes * 60_000) this.lock();
	}

	/**
	 * Checks whether the signed-in person may do `action` alone. If not, shows the approval dialog and resolves
	 * with the approval record (committed with the sale), or null if cancelled. 'self' = no approval needed.
	 */
	requestApproval(action: ApprovalAction, detail: DomainErrorParams = {}): Promise<Approval | 'self' | null> {
		const me = this.current;
		if (!me) return Promise.resolve(null);
		const needed = requiredApproval(action, me.role, this.#app.settings?.permissions);
		if (needed === null) return Promise.resolve('self');
		return new Promise((resolve) => {
			this.pendingApproval = { action, detail, minimumRole: needed, resolve };
		});
	}

	/** Staff at this branch who could approve the pending request. */
	approvers = $derived(
		this.pendingApproval
			? this.branchStaff.filter(
					(s) => s.id !== this.current?.id && atLeast(s.role, this.pendingApproval?.minimumRole ?? 'owner')
				)
			: []
	);

	/** Called by the approval dialog with the approver's PIN. */
	async approve(approverId: string, pin: string): Promise<'ok' | 'wrongPin' | 'notAllowed' | 'locked'> {
		const request = this.pendingApproval;
		const requester = this.current;
		if (!request || !requester) return 'notAllowed';
		const now = Date.now();
		if (this.attempts.isLocked(approverId, now)) return 'locked';
		const approver = this.staff.find((s) => s.id === approverId);
		if (!approver) return 'notAllowed';
		if (!(await verifyPin(approver.id, pin, approver.pinHash))) {
			this.attempts.fail(approverId, now);
			return this.attempts.isLocked(approverId, now) ? 'locked' : 'wrongPin';
		}
		this.attempts.succeed(approverId);
		let approval: Approval;
		try {
			approval = makeApproval({
				id: newId(now),
				action: request.action,
				requestedBy: requester,
				approver,
				now,
				detail: request.detail,
				...(this.#app.settings ? { policy: this.#app.settings.permissions } : {})
			});
		} catch {
			return 'notAllowed';
		}
		this.pendingApproval = null;
		request.resolve(approval);
		return 'ok';
	}

	cancelApproval(): void {
		this.pendingApproval?.resolve(null);
		this.pendingApproval = null;
	}
}
