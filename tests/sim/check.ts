/**
 * What the simulation asserts once everything is healed and synced:
 * - chain-wide tables are identical on every device, branch tables on every device of the branch, and an owner's
 *   device holds every branch's rows;
 * - no ledger entry is lost (every entry a till wrote is on every device and in the relay's documents) or
 *   duplicated (no entry appears that no till wrote, and no id sits in two documents);
 * - every member's balances equal the folds over the entries that were written;
 * - every outbox is empty, the relay refused nothing and no device skipped a value as invalid.
 */
import { foldPoints, foldStoredValue } from '../../src/lib/domain/ledger/fold';
import type { LedgerEntry } from '../../src/lib/domain/ledger/types';
import { memberBalances } from '../../src/lib/storage/members';
import { findDuplicatePhones } from '../../src/lib/sync/merge';
import { ENTRIES_MAP, stableStringify } from '../../src/lib/sync/protocol';
import { allRows } from '../../src/lib/sync/store';
import type { SyncTable } from '../../src/lib/sync/layout';
import type { SimRelay } from './relay';
import type { SimDevice } from './world';

const CHAIN_TABLES: SyncTable[] = [
	'members',
	'profileChanges',
	'subscriptions',
	'memberMerges',
	'ledger',
	'styles',
	'variants'
];
const BRANCH_TABLES: SyncTable[] = ['sales', 'stock', 'approvals', 'topUps', 'redemptions', 'giftStock'];

export interface CheckResult {
	converged: boolean;
	/** Members whose ledger does not fold (concurrent offline spends overdrew it: escrow's job, not sync's). */
	overdrawn: number;
	/** Phones still held by two members at the end. */
	duplicatePhones: number;
	lost: number;
	duplicated: number;
	entries: number;
	problems: string[];
}

async function snapshot(d: SimDevice, table: SyncTable): Promise<string[]> {
	const rows = await allRows(d.db, table);
	return rows.map((r) => stableStringify(r)).sort();
}

function firstDifference(a: string[], b: string[]): string {
	const byId = (rows: string[]) =>
		new Map(rows.map((r) => [String((JSON.parse(r) as { id?: unknown }).id), r]));
	const [x, y] = [byId(a), byId(b)];
	for (const [id, row] of x) {
		const other = y.get(id);
		if (other === row) continue;
		if (other === undefined) return `${a.length} vs ${b.length} rows; ${id} only on the first`;
		const [p, q] = [JSON.parse(row) as Record<string, unknown>, JSON.parse(other) as Record<string, unknown>];
		const fields = [...new Set([...Object.keys(p), ...Object.keys(q)])].filter(
			(k) => JSON.stringify(p[k]) !== JSON.stringify(q[k])
		);
		return `${id}: ${fields.map((k) => `${k} ${JSON.stringify(p[k])} vs ${JSON.stringify(q[k])}`).join(', ')}`;
	}
	return `${a.length} vs ${b.length} rows`;
}

export const EMPTY: CheckResult = {
	converged: false,
	overdrawn: 0,
	duplicatePhones: 0,
	lost: 0,
	duplicated: 0,
	entries: 0,
	problems: []
};

export async function checkWorld(devices: SimDevice[], relay: SimRelay, now: number): Promise<CheckResult> {
	const problems: string[] = [];
	const [reference] = devices;
	if (!reference) return { ...EMPTY, problems: ['no devices'] };

	const relayValue = (table: SyncTable, diff: string) => {
		const id = diff.split(':')[0] ?? '';
		for (const doc of relay.allDocs().values()) {
			const value = doc.getMap('records').get(`${table}/${id}`);
			if (value) return ` (relay holds ${JSON.stringify(value).slice(0, 200)})`;
		}
		return '';
	};
	for (const table of CHAIN_TABLES) {
		const expected = await snapshot(reference, table);
		for (const d of devices.slice(1)) {
			const got = await snapshot(d, table);
			if (stableStringify(got) !== stableStringify(expected))
				problems.push(
					`${table} differs between ${reference.spec.id} and ${d.spec.id}: ${firstDifference(expected, got)}` +
						relayValue(table, firstDifference(expected, got))
				);
		}
	}
	// Branch tables: identical on the tills of a branch; an owner's device holds every branch's rows (it reads every
	// branch's documents), so it must equal the union of the branches.
	const owners = devices.filter((d) => d.spec.role === 'owner');
	const branchTills = devices.filter((d) => d.spec.role !== 'owner');
	for (const table of BRANCH_TABLES) {
		const union: string[] = [];
		for (const branch of new Set(branchTills.map((d) => d.spec.branch))) {
			const members = branchTills.filter((d) => d.spec.branch === branch);
			const expected = await snapshot(members[0]!, table);
			union.push(...expected);
			for (const d of members.slice(1))
				if (stableStringify(await snapshot(d, table)) !== stableStringify(expected))
					problems.push(`${table} differs within ${branch} (${d.spec.id})`);
		}
		const all = [...new Set(union)].sort();
		for (const d of owners) {
			const got = await snapshot(d, table);
			if (stableStringify(got) !== stableStringify(all))
				problems.push(
					`${table} on the owner's ${d.spec.id} is not every branch's: ${firstDifference(all, got)}`
				);
		}
	}
	const duplicates = stableStringify(
		(await findDuplicatePhones(reference.db)).map((g) => [g.phone, g.members.map((m) => m.id)])
	);
	for (const d of devices.slice(1))
		if (
			stableStringify((await findDuplicatePhones(d.db)).map((g) => [g.phone, g.members.map((m) => m.id)])) !==
			duplicates
		)
			problems.push(`duplicate phones differ on ${d.spec.id}`);

	// The truth: every entry a till wrote, read from that till's own table (it never leaves it).
	const created = new Map<string, LedgerEntry>();
	for (const d of devices) {
		const own = (await d.db.ledger.toArray()).filter((e) => e.deviceId === d.spec.id);
		const counter = (await d.db.counters.get(`ledgerSeq:${d.spec.id}`))?.value ?? 0;
		if (own.length !== counter)
			problems.push(`${d.spec.id} numbered ${counter} entries but holds ${own.length} of its own`);
		for (const e of own) created.set(e.id, e);
	}
	let lost = 0;
	let duplicated = 0;
	for (const d of devices) {
		const ids = new Set((await d.db.ledger.toArray()).map((e) => e.id));
		for (const id of created.keys()) if (!ids.has(id)) lost++;
		for (const id of ids) if (!created.has(id)) duplicated++;
	}
	const docsOf = new Map<string, number>();
	for (const [name, doc] of relay.allDocs()) {
		if (!name.includes('/ledger/')) continue;
		for (const key of doc.getMap(ENTRIES_MAP).keys()) docsOf.set(key, (docsOf.get(key) ?? 0) + 1);
	}
	for (const id of created.keys()) if (!docsOf.has(id)) lost++;
	for (const [id, n] of docsOf) if (n > 1 || !created.has(id)) duplicated++;

	// Balances are folds over exactly the entries that were written, on every device.
	let overdrawn = 0;
	const byMember = new Map<string, LedgerEntry[]>();
	for (const e of created.values()) byMember.set(e.memberId, [...(byMember.get(e.memberId) ?? []), e]);
	for (const [memberId, entries] of byMember) {
		const p = foldPoints(entries, now);
		const s = foldStoredValue(entries, now);
		if (!p.ok || !s.ok) overdrawn++;
		const expected = stableStringify({
			points: p.ok ? p.value.balance : 'violation',
			stored: s.ok ? s.value.total : 'violation'
		});
		for (const d of devices) {
			const b = await memberBalances(d.db, memberId, now);
			const got = stableStringify({
				points: b.points ? b.points.balance : 'violation',
				stored: b.storedValue ? b.storedValue.total : 'violation'
			});
			if (got !== expected)
				problems.push(`balance of ${memberId} on ${d.spec.id}: ${got}, fold says ${expected}`);
		}
	}

	for (const d of devices) {
		const outbox = await d.db.outbox.count();
		if (outbox)
			problems.push(
				`${d.spec.id} still has ${outbox} outbox rows: ${JSON.stringify((await d.engine?.explainOutbox())?.slice(0, 3))}`
			);
		const skipped = d.engine?.status.skipped;
		if (skipped && skipped.invalid + skipped.malformed + skipped.conflict > 0)
			problems.push(`${d.spec.id} skipped values: ${JSON.stringify(skipped)}`);
	}
	if (relay.stats.refused)
		problems.push(
			`the relay refused ${relay.stats.refused} updates: ${relay.refusals.slice(0, 3).join(' | ')}`
		);
	if (lost) problems.push(`${lost} ledger entries lost`);
	if (duplicated) problems.push(`${duplicated} ledger entries duplicated`);
	return {
		converged: problems.length === 0,
		overdrawn,
		duplicatePhones: (await findDuplicatePhones(reference.db)).length,
		lost,
		duplicated,
		entries: created.size,
		problems
	};
}
