/**
 * Coalesced saves of the open cart. Every change is handed over at once (the line is already painted); at most
 * one write is in flight, and when it lands only the newest cart waiting is written. A burst of scans costs one
 * or two writes instead of one each, an older cart never overwrites a newer one, and a change waits for at most
 * one write (a few ms) before it is on disk.
 */
import type { BranchlineDb, CartRow } from '$lib/storage/db';
import { deleteCart, saveCart } from '$lib/storage/carts';

export class CartSaver {
	readonly #db: BranchlineDb;
	readonly #onError: (error: unknown) => void;
	#pending: CartRow | null = null;
	#saving: Promise<void> | null = null;

	constructor(db: BranchlineDb, onError: (error: unknown) => void) {
		this.#db = db;
		this.#onError = onError;
	}

	/** The cart as it is now: written soon (an empty cart without a member is deleted instead). */
	save(row: CartRow): void {
		this.#pending = row;
		this.#saving ??= this.#loop();
	}

	/** Forgets a cart waiting to be written (it was sold, suspended or voided meanwhile). */
	drop(): void {
		this.#pending = null;
	}

	/** Resolves once every cart handed over has been written. */
	async flush(): Promise<void> {
		while (this.#saving) await this.#saving;
	}

	async #loop(): Promise<void> {
		// Let the change reach the DOM first: the write starts after the current task's rendering work.
		await Promise.resolve();
		try {
			for (let row = this.#pending; row; row = this.#pending) {
				this.#pending = null;
				try {
					if (row.cart.lines.length || row.cart.memberId) await saveCart(this.#db, row);
					else await deleteCart(this.#db, row.id);
				} catch (error) {
					this.#onError(error);
				}
			}
		} finally {
			this.#saving = null;
		}
	}
}
