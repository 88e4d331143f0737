/** Properties of the folds: order, duplication, conservation, FIFO bounds, debt, expiry. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueExpiries, foldPoints, foldStoredValue } from './fold';
import type { FoldResult, LedgerEntry, LedgerKind, StoredValueBucket } from './types';

const devices = ['d1', 'd2', 'd3'];
const pointsKinds: LedgerKind[] = [
	'earn',
	'earn',
	'adjustIn',
	'refundIn',
	'spend',
	'adjustOut',
	'reverseEarn',
	'expire',
	'debt'
];
const svKinds: [LedgerKind, StoredValueBucket][] = [
	['topUp', 'principal'],
	['bonus', 'bonus'],
	['spend', 'principal'],
	['spend', 'bonus'],
	['refund', 'principal'],
	['expire', 'bonus'],
	['refundIn', 'bonus'],
	['debt', 'principal'],
	['debt', 'bonus']
];

interface Raw {
	kind: LedgerKind;
	bucket?: StoredValueBucket;
	amount: number;
	at: number;
	device: string;
	life: number | null;
}

// Small times and few devices so that ties in createdAt, and the (deviceId, seq) tie-breaks, are common.
const rawArb = (kinds: fc.Arbitrary<[LedgerKind, StoredValueBucket | undefined]>) =>
	fc
		.record({
			kb: kinds,
			amount: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 500 })),
			at: fc.integer({ min: 0, max: 40 }),
			device: fc.constantFrom(...devices),
			life: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null })
		})
		.map(({ kb, ...r }): Raw => ({ ...r, kind: kb[0], ...(kb[1] ? { bucket: kb[1] } : {}) }));

/** Numbers raw rows into valid entries: unique ids, per-device seq, expiry only where allowed. */
function toEntries(raws: Raw[]): LedgerEntry[] {
	const seq = new Map<string, number>();
	return raws.map((r, i) => {
		const s = (seq.get(r.device) ?? 0) + 1;
		seq.set(r.device, s);
		const expiring =
			['earn', 'adjustIn', 'refundIn', 'bonus'].includes(r.kind) && (r.bucket ?? 'bonus') === 'bonus';
		return {
			id: `e${i}`,
			memberId: 'm1',
			account: r.bucket ? 'storedValue' : 'points',
			kind: r.kind,
			amount: r.amount,
			deviceId: r.device,
			seq: s,
			createdAt: r.at,
			refs: ['r'],
			...(r.bucket ? { bucket: r.bucket } : {}),
			...(expiring && r.life !== null ? { expiresAt: r.at + r.life } : {}),
			...(r.kind === 'adjustIn' || r.kind === 'adjustOut' ? { reason: 'test' } : {})
		};
	});
}

const pointsLedger = fc
	.array(rawArb(fc.constantFrom(...pointsKinds).map((k) => [k, undefined] as [LedgerKind, undefined])), {
		maxLength: 30
	})
	.map(toEntries);
const svLedger = fc.array(rawArb(fc.constantFrom(...svKinds)), { maxLength: 30 }).map(toEntries);
const nowArb = fc.integer({ min: 0, max: 80 });

/** Comparable form of a result (violations compared by code and params). */
function norm<T>(r: FoldResult<T>) {
	return r.ok ? r : { ok: false, code: r.violation.code, params: r.violation.params };
}

const shuffled = <T>(ledger: fc.Arbitrary<T[]>) =>
	ledger.chain((l) =>
		fc.tuple(fc.constant(l), fc.shuffledSubarray(l, { minLength: l.length, maxLength: l.length }))
	);
const withReplays = <T>(ledger: fc.Arbitrary<T[]>) =>
	ledger.chain((l) => fc.tuple(fc.constant(l), fc.subarray(l)));

const sumOf = (entries: LedgerEntry[], kinds: LedgerKind[]) =>
	entries.filter((e) => kinds.includes(e.kind)).reduce((s, e) => s + e.amount, 0);

const runs = { numRuns: 400 };

describe('foldPoints properties', () => {
	it('does not depend on the order entries arrive in', () => {
		fc.assert(
			fc.property(shuffled(pointsLedger), nowArb, ([l, s], now) => {
				expect(norm(foldPoints(s, now))).toEqual(norm(foldPoints(l, now)));
			}),
			runs
		);
	});

	it('applying any entries twice changes nothing', () => {
		fc.assert(
			fc.property(withReplays(pointsLedger), nowArb, ([l, again], now) => {
				expect(norm(foldPoints([...l, ...again], now))).toEqual(norm(foldPoints(l, now)));
			}),
			runs
		);
	});

	it('conserves points: every batch adds up, outflows = spent + deficit, expiries = expired + ignored', () => {
		fc.assert(
			fc.property(pointsLedger, nowArb, (l, now) => {
				const r = foldPoints(l, now);
				if (!r.ok) return;
				const f = r.value;
				for (const b of f.batches) {
					expect(b.spent).toBeGreaterThanOrEqual(0);
					expect(b.expired).toBeGreaterThanOrEqual(0);
					expect(b.remaining).toBeGreaterThanOrEqual(0);
					expect(b.spent + b.expired + b.remaining).toBe(b.amount);
					if (b.expired > 0) expect(b.expiresAt).not.toBeNull();
				}
				const total = (k: 'spent' | 'expired' | 'amount') => f.batches.reduce((s, b) => s + b[k], 0);
				expect(total('amount')).toBe(sumOf(l, ['earn', 'adjustIn', 'refundIn']));
				expect(sumOf(l, ['spend', 'adjustOut', 'reverseEarn'])).toBe(total('spent') + f.deficit);
				expect(sumOf(l, ['expire'])).toBe(total('expired') + f.ignoredExpiry);
			}),
			runs
		);
	});

	it('no balance is negative unless debt entries say so, and never below them', () => {
		fc.assert(
			fc.property(pointsLedger, nowArb, (l, now) => {
				const r = foldPoints(l, now);
				if (!r.ok) {
					expect(['ledger.overdraft']).toContain(r.violation.code);
					return;
				}
				expect(r.value.debt).toBe(sumOf(l, ['debt']));
				expect(r.value.deficit).toBeLessThanOrEqual(r.value.debt);
				expect(r.value.balance).toBeGreaterThanOrEqual(-r.value.deficit);
				if (r.value.deficit === 0) expect(r.value.balance).toBeGreaterThanOrEqual(0);
			}),
			runs
		);
	});

	it('matches a running balance when spends never exceed what is there (no expiry, no debt)', () => {
		const ops = fc.array(
			fc.record({
				earn: fc.boolean(),
				amount: fc.integer({ min: 1, max: 100 }),
				device: fc.constantFrom(...devices)
			}),
			{ maxLength: 30 }
		);
		fc.assert(
			fc.property(ops, (list) => {
				let balance = 0;
				const raws: Raw[] = [];
				list.forEach((op, i) => {
					const amount = op.earn ? op.amount : Math.min(op.amount, balance);
					if (amount === 0) return;
					balance += op.earn ? amount : -amount;
					raws.push({ kind: op.earn ? 'earn' : 'spend', amount, at: i, device: op.device, life: null });
				});
				const r = foldPoints(toEntries(raws), 100);
				expect(r.ok && r.value.balance).toBe(balance);
			}),
			runs
		);
	});

	it('recording expiry never moves spendable points (now past every entry)', () => {
		fc.assert(
			fc.property(pointsLedger, fc.integer({ min: 40, max: 80 }), (l, now) => {
				const without = foldPoints(
					l.filter((e) => e.kind !== 'expire'),
					now
				);
				const withExpiries = foldPoints(l, now);
				expect(withExpiries.ok).toBe(without.ok);
				if (withExpiries.ok && without.ok) {
					expect(withExpiries.value.balance).toBe(without.value.balance);
					expect(withExpiries.value.deficit).toBe(without.value.deficit);
				}
			}),
			runs
		);
	});

	// Expire entries take only batches already expired at their own time, so once `now` is past every entry (no
	// clock from the future) duplicate expiries cannot touch a live batch.
	it('due expiries take exactly each expired remainder; a second till writing them changes nothing', () => {
		fc.assert(
			fc.property(pointsLedger, fc.integer({ min: 40, max: 80 }), (l, now) => {
				const before = foldPoints(l, now);
				const stamp = (prefix: string, device: string) => {
					let n = 0;
					return { deviceId: device, seq: 1000, now, newId: () => `${prefix}${++n}` };
				};
				const due = dueExpiries(l, stamp('x', 'd8'));
				if (!before.ok || !due.ok) {
					expect(before.ok).toBe(due.ok);
					return;
				}
				const remainder = new Map(before.value.batches.map((b) => [b.entryId, b.remaining]));
				for (const e of due.value) expect(e.amount).toBe(remainder.get(e.refs[0]!));
				expect(due.value.reduce((s, e) => s + e.amount, 0)).toBe(before.value.expiredUnrecorded);
				const after = foldPoints([...l, ...due.value], now);
				expect(after.ok && after.value.balance).toBe(before.value.balance);
				expect(after.ok && after.value.expiredUnrecorded).toBe(0);
				const other = dueExpiries(l, stamp('y', 'd9'));
				const both = foldPoints([...l, ...due.value, ...(other.ok ? other.value : [])], now);
				expect(both.ok && both.value.balance).toBe(before.value.balance);
				expect(both.ok && both.value.ignoredExpiry).toBe(
					before.value.ignoredExpiry + before.value.expiredUnrecorded
				);
			}),
			runs
		);
	});
});

describe('foldStoredValue properties', () => {
	it('does not depend on order or replays', () => {
		fc.assert(
			fc.property(shuffled(svLedger), fc.subarray([0, 1, 2, 3, 4, 5]), nowArb, ([l, s], picks, now) => {
				const replays = picks.map((i) => l[i]).filter((e): e is LedgerEntry => e !== undefined);
				expect(norm(foldStoredValue([...s, ...replays], now))).toEqual(norm(foldStoredValue(l, now)));
			}),
			runs
		);
	});

	it('total = principal + bonus; each bucket negative only down to its debt', () => {
		fc.assert(
			fc.property(svLedger, nowArb, (l, now) => {
				const r = foldStoredValue(l, now);
				if (!r.ok) return;
				const f = r.value;
				expect(f.total).toBe(f.principal + f.bonus);
				for (const bucket of ['principal', 'bonus'] as const) {
					expect(f[bucket]).toBeGreaterThanOrEqual(-f.debt[bucket]);
					if (f.deficit[bucket] === 0) expect(f[bucket]).toBeGreaterThanOrEqual(0);
				}
				for (const b of f.bonusBatches) expect(b.spent + b.expired + b.remaining).toBe(b.amount);
			}),
			runs
		);
	});
});
