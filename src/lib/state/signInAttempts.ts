/**
 * Wrong-PIN lockout per staff member on this till, kept in localStorage so reloading the page does not reset
 * the lock (the pure state machine lives in domain/staff.ts).
 */
import {
	initialPinState,
	isLocked,
	lockRemainingMs,
	recordPinFailure,
	recordPinSuccess,
	type PinLockState
} from '$lib/domain/staff';

const storageKey = 'branchline.pinLocks';

export class SignInAttempts {
	#states: Record<string, PinLockState>;

	constructor() {
		try {
			const raw = globalThis.localStorage?.getItem(storageKey);
			this.#states = raw ? (JSON.parse(raw) as Record<string, PinLockState>) : {};
		} catch {
			this.#states = {};
		}
	}

	isLocked(staffId: string, now: number): boolean {
		return isLocked(this.#get(staffId), now);
	}

	lockedForMs(staffId: string, now: number): number {
		return lockRemainingMs(this.#get(staffId), now);
	}

	fail(staffId: string, now: number): void {
		this.#states[staffId] = recordPinFailure(this.#get(staffId), now);
		this.#save();
	}

	succeed(staffId: string): void {
		this.#states[staffId] = recordPinSuccess();
		this.#save();
	}

	#get(staffId: string): PinLockState {
		const state = this.#states[staffId];
		return state && typeof state.failures === 'number' ? state : initialPinState;
	}

	#save(): void {
		globalThis.localStorage?.setItem(storageKey, JSON.stringify(this.#states));
	}
}
