/**
 * Schedules the daily level review (storage/levelReview.ts) on a running till: half a minute after start, then every
 * three hours (it runs once per local day; the other runs return at once). An enrolled till reviews the members of
 * its own branch, so a chain's tills share the work; a till not in a chain reviews everyone.
 */
import { runLevelReview } from '$lib/storage/levelReview';
import type { AppState } from './app.svelte';

export function scheduleLevelReviews(app: AppState, enrolledBranch: () => string | null): () => void {
	let running = false;
	const run = async () => {
		const config = app.membership;
		if (running || !config || app.status !== 'ready') return;
		running = true;
		try {
			await runLevelReview(app.db, {
				config,
				branchId: enrolledBranch(),
				// Between chunks of 500 members: the till keeps scanning while the review walks 100k members.
				pause: () => new Promise((resolve) => setTimeout(resolve, 20))
			});
		} catch (error) {
			// A failed review changes nothing (each member is its own transaction); the next run tries again.
			console.warn('[level review]', error);
		} finally {
			running = false;
		}
	};
	const first = setTimeout(() => void run(), 30_000);
	const every = setInterval(() => void run(), 3 * 3_600_000);
	return () => {
		clearTimeout(first);
		clearInterval(every);
	};
}
