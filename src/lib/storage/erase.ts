/**
 * Erasing a till: the Branchline database and every document the sync engine persisted (y-indexeddb keeps one
 * database per document, named `y:<doc>`). Only ever called once nothing is waiting in the outbox (see
 * AppState.eraseTill): what the relay acknowledged is safe on the relay, and the till fetches it again.
 */
import type { BranchlineDb } from './db';

export const SYNC_DOC_PREFIX = 'y:';

export async function eraseTillData(db: BranchlineDb): Promise<void> {
	db.close();
	await db.delete();
	const all = (await indexedDB.databases?.()) ?? [];
	await Promise.all(
		all
			.map((info) => info.name)
			.filter((name): name is string => !!name && name.startsWith(SYNC_DOC_PREFIX))
			.map(
				(name) =>
					new Promise<void>((resolve, reject) => {
						const request = indexedDB.deleteDatabase(name);
						request.onsuccess = () => resolve();
						request.onerror = () => reject(request.error ?? new Error(`cannot delete ${name}`));
						// Another tab holds it open: it goes once that tab closes; nothing to wait for here.
						request.onblocked = () => resolve();
					})
			)
	);
}
