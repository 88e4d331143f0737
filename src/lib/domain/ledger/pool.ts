/**
 * The engine under every balance: a pool of inflow batches consumed FIFO. Points are one pool; stored value is two
 * (principal, bonus). Consumption is defined only by canonical entry order, never by what an entry's refs claim,
 * so every replica that holds the same set of entries computes the same batches.
 */
import { DomainError } from '../errors';
import { entryProblem, flowOf } from './entries';
import type { FoldResult, LedgerBatch, LedgerEntry } from './types';

/** Canonical order of entries: (createdAt, deviceId, seq, id). Code-unit string comparison, never locale. */
export function canonicalCompare(a: LedgerEntry, b: LedgerEntry): number {
	if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
	if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
	if (a.seq !== b.seq) return a.seq - b.seq;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}

// A total order on content, so that two different entries under one id still resolve the same way everywhere.
function contentKey(e: LedgerEntry): string {
	const record = e as unknown as Record<string, unknown>;
	return JSON.stringify(
		Object.keys(record)
			.filter((k) => record[k] !== undefined)
			.sort()
			.map((k) => [k, record[k]])
	);
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function byCanonicalThenContent(a: LedgerEntry, b: LedgerEntry): number {
	return canonicalCompare(a, b) || compareStrings(contentKey(a), contentKey(b));
}

/** Entries of one member, validated, one per id, in canonical order. */
export interface Prepared {
	memberId: string | null;
	entries: LedgerEntry[];
}

/**
 * Validates, deduplicates by id and sorts. Copies of one id are expected to be identical (replays); when they are
 * not (deterministic behaviour-award ids written by two tills) the canonically first copy wins, whatever the input
 * order. Any invalid entry, or entries of more than one member, is a violation.
 */
export function prepare(entries: readonly LedgerEntry[]): FoldResult<Prepared> {
	const problems = entries
		.map((e) => ({ e, problem: entryProblem(e) }))
		.filter((p) => p.problem !== null)
		.sort(
			(a, b) =>
				compareStrings(String(a.e.id), String(b.e.id)) || compareStrings(contentKey(a.e), contentKey(b.e))
		);
	if (problems.length > 0) return { ok: false, violation: problems[0]!.problem! };
	const chosen = new Map<string, LedgerEntry>();
	for (const e of entries) {
		const held = chosen.get(e.id);
		if (!held || byCanonicalThenContent(e, held) < 0) chosen.set(e.id, e);
	}
	const unique = [...chosen.values()].sort(byCanonicalThenContent);
	const members = [...new Set(unique.map((e) => e.memberId))].sort();
	if (members.length > 1) {
		const stray = unique
			.filter((e) => e.memberId !== members[0])
			.sort((a, b) => compareStrings(a.id, b.id))[0]!;
		return {
			ok: false,
			violation: new DomainError('ledger.invalidEntry', {
				entryId: stray.id,
				field: 'memberId',
				value: stray.memberId
			})
		};
	}
	return { ok: true, value: { memberId: members[0] ?? null, entries: unique } };
}

/** What a pool came to after all its entries. */
export interface PoolState {
	batches: LedgerBatch[];
	/** Outstanding overdraft. */
	deficit: number;
	/** Sum of debt entries. */
	debt: number;
	ignoredExpiry: number;
}

const live = (b: LedgerBatch, at: number) => b.expiresAt === null || b.expiresAt > at;

/**
 * Runs one pool's entries (canonical order). Outflows at time t take from the oldest batches still live at t;
 * expire entries take from the oldest batches already expired at t, never more than is left (the excess is
 * ignored: two tills may record the same expiry). An outflow larger than what is live becomes a deficit, allowed
 * only while the overdrafts so far stay within the pool's debt entries; later inflows repay the deficit first.
 */
export function runPool(entries: readonly LedgerEntry[], account: string): FoldResult<PoolState> {
	// Debt is order-free: a sale's debt entry authorises its overdraft whatever seq order the two were written in.
	const debt = entries.filter((e) => flowOf(e) === 'debt').reduce((s, e) => s + e.amount, 0);
	const batches: LedgerBatch[] = [];
	let deficit = 0;
	let overdrawn = 0;
	let ignoredExpiry = 0;
	let firstOpen = 0; // batches before this index are fully used: skip them
	for (const e of entries) {
		const flow = flowOf(e);
		const t = e.createdAt;
		if (flow === 'in') {
			const repay = Math.min(deficit, e.amount);
			deficit -= repay;
			batches.push({
				entryId: e.id,
				kind: e.kind,
				earnedAt: t,
				expiresAt: e.expiresAt ?? null,
				amount: e.amount,
				spent: repay,
				expired: 0,
				remaining: e.amount - repay
			});
		} else if (flow === 'out' || flow === 'expire') {
			let need = e.amount;
			while (firstOpen < batches.length && batches[firstOpen]!.remaining === 0) firstOpen++;
			for (let i = firstOpen; i < batches.length && need > 0; i++) {
				const b = batches[i]!;
				const eligible = flow === 'out' ? live(b, t) : !live(b, t);
				if (b.remaining === 0 || !eligible) continue;
				const take = Math.min(need, b.remaining);
				b.remaining -= take;
				if (flow === 'out') b.spent += take;
				else b.expired += take;
				need -= take;
			}
			if (flow === 'expire') ignoredExpiry += need;
			else if (need > 0) {
				if (overdrawn + need > debt)
					return {
						ok: false,
						violation: new DomainError('ledger.overdraft', { entryId: e.id, account, shortfall: need })
					};
				overdrawn += need;
				deficit += need;
			}
		}
	}
	return { ok: true, value: { batches, deficit, debt, ignoredExpiry } };
}

/** Spendable at `now`: the live remainders minus any outstanding overdraft. */
export function spendable(state: PoolState, now: number): number {
	return state.batches.reduce((s, b) => (live(b, now) ? s + b.remaining : s), 0) - state.deficit;
}

/** Remainders of batches already expired at `now`, not yet taken by an expire entry. */
export function expiredUnrecorded(batches: readonly LedgerBatch[], now: number): number {
	return batches.reduce((s, b) => (live(b, now) ? s : s + b.remaining), 0);
}

/** Ids of the batches a spend of `amount` at `at` would take from (FIFO), for a spend entry's refs. */
export function fifoBatchIds(batches: readonly LedgerBatch[], amount: number, at: number): string[] {
	const ids: string[] = [];
	let need = amount;
	for (const b of batches) {
		if (need <= 0) break;
		if (b.remaining === 0 || !live(b, at)) continue;
		ids.push(b.entryId);
		need -= b.remaining;
	}
	return ids;
}
