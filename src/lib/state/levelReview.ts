/**
 * Schedules the daily level review (storage/levelReview.ts) on a running till: a minute after start, then every
 * three hours (it runs once per local day; the other runs return at once). An enrolled till reviews the members of
 * its own branch, so a chain's tills share the work; a till not in a chain reviews everyone. It only works while
 * the till is quiet: before each chunk of members it waits until nobody has touched the till for QUIET_MS, so it
 * never competes with scanning, attaching a member or a sale for IndexedDB.
 */
import { runLevelReview } from '$lib/storage/levelReview';
import type { AppState } from './app.svelte';

const QUIET_MS = 15_000;

export function scheduleLevelReviews(
	app: AppState,
	enrolledBranch: () => string | null,
	lastActivityAt: () => number
): () => void {
	const quiet = async () => {
		for (;;) {
			const wait = lastActivityAt() + QUIET_MS - Date.now();
			if (wait <= 0) return;
			await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 60_000)));
		}
	};
	let running = false;
	const run = async () => {
		const config = app.membership;
		if (running || !config || app.status !== 'ready') return;
		running = true;
		try {
			await runLevelReview(app.db, {
				config,
				branchId: enrolledBranch(),
				// Between chunks of 500 members, and before the first: wait for a quiet till.
				pause: quiet
			});
		} catch (error) {
			// A failed review changes nothing (each member is its own transaction); the next run tries again.
			console.warn('[level review]', error);
		} finally {
			running = false;
		}
	};
	const first = setTimeout(() => void run(), 60_000);
	const every = setInterval(() => void run(), 3 * 3_600_000);
	return () => {
		clearTimeout(first);
		clearInterval(every);
	};
}
