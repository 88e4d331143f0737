/**
 * For storage and state specs: a new, empty Branchline database (fake-indexeddb) before each test, closed and
 * deleted after it. `use` receives each new one:
 *
 *   let db: BranchlineDb;
 *   useFreshDb('sales', (fresh) => (db = fresh));
 */
import { afterEach, beforeEach } from 'vitest';
import { BranchlineDb } from './db';

let seq = 0;

export function useFreshDb(name: string, use: (db: BranchlineDb) => void): void {
	let db: BranchlineDb | undefined;
	beforeEach(() => {
		db = new BranchlineDb(`${name}-${++seq}`);
		use(db);
	});
	afterEach(async () => {
		db?.close();
		await db?.delete();
	});
}
