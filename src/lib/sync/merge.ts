/**
 * Two offline branches may enrol the same phone: both members are kept (no replica can tell which is "the" one)
 * and flagged. A manager then merges them on an audited screen:
 *
 * - findDuplicatePhones lists phones that more than one live member holds;
 * - mergeMembers moves the merged member's balances to the kept one WITHOUT touching an existing entry: it appends
 *   compensating entries (adjustOut on the merged member, adjustIn on the kept one — per earning batch, so points
 *   and bonus keep their expiry dates), all referencing the merge record. Both folds stay exact and the ledger
 *   stays append-only (invariant 3). The merged profile gives up its phone (audited as a profile change) so a
 *   phone look-up finds the kept member only; sales keep their member ids.
 *
 * Run it again if the merged member earned more somewhere offline after the merge: it moves what is left.
 */
import { DomainError } from '$lib/domain/errors';
import { stampEntries, type EntryDraft } from '$lib/domain/ledger/entries';
import { foldPoints, foldStoredValue } from '$lib/domain/ledger/fold';
import type { LedgerBatch, LedgerEntry } from '$lib/domain/ledger/types';
import type { ProfileChange } from '$lib/domain/members/types';
import type { MemberMerge } from '$lib/schema/replicated';
import type { BranchlineDb, MemberRow } from '$lib/storage/db';
import { newId } from '$lib/storage/ids';
import { accountEntries, appendEntries } from '$lib/storage/ledger';
import { syncOutboxRow } from '$lib/storage/syncHooks';
import { MERGE_KEY_PREFIX } from './store';

export interface DuplicatePhone {
	phone: string;
	members: MemberRow[];
	/** Merges already recorded between these members (a group that comes back needs another look). */
	merges: MemberMerge[];
}

/** Phones held by more than one live (not anonymised) member, from the phone index. */
export async function findDuplicatePhones(db: BranchlineDb): Promise<DuplicatePhone[]> {
	const phones = (await db.members.orderBy('phone').keys()) as string[];
	const repeated = [...new Set(phones.filter((p, i) => p !== '' && phones[i - 1] === p))];
	const merges = (await db.meta.where('key').startsWith(MERGE_KEY_PREFIX).toArray()).map(
		(r) => r.value as MemberMerge
	);
	const groups: DuplicatePhone[] = [];
	for (const phone of repeated) {
		const members = (await db.members.where('phone').equals(phone).toArray())
			.filter((m) => !m.anonymizedAt)
			.sort((a, b) => a.enrolledAt - b.enrolledAt || (a.id < b.id ? -1 : 1));
		if (members.length < 2) continue;
		const ids = new Set(members.map((m) => m.id));
		groups.push({ phone, members, merges: merges.filter((m) => ids.has(m.keepId) && ids.has(m.mergeId)) });
	}
	return groups;
}

export class MergeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MergeError';
	}
}

const live = (batches: readonly LedgerBatch[], now: number) =>
	batches.filter((b) => b.remaining > 0 && (b.expiresAt === null || b.expiresAt > now));

/**
 * Merges `mergeId` into `keepId`: compensating entries, the merged profile's phone released, and a MemberMerge
 * audit record, all with outbox rows in one transaction. Refuses a ledger that does not fold or is overdrawn
 * (reconcile first).
 */
export async function mergeMembers(
	db: BranchlineDb,
	keepId: string,
	mergeId: string,
	staffId: string,
	options: { deviceId?: string; now?: number } = {}
): Promise<MemberMerge> {
	if (keepId === mergeId) throw new MergeError('a member cannot be merged into itself');
	const now = options.now ?? Date.now();
	const deviceId =
		options.deviceId ??
		String(((await db.meta.get('device'))?.value as { deviceId?: string } | undefined)?.deviceId ?? '');
	if (!deviceId) throw new MergeError('this till has no device id');
	const tables = [db.members, db.ledger, db.counters, db.outbox, db.meta, db.profileChanges];
	return db.transaction('rw', tables, async () => {
		const [keep, merged] = await Promise.all([db.members.get(keepId), db.members.get(mergeId)]);
		if (!keep || keep.anonymizedAt) throw new MergeError(`member ${keepId} cannot receive a merge`);
		if (!merged) throw new MergeError(`member ${mergeId} not found`);
		const points = foldPoints(await accountEntries(db, mergeId, 'points'), now);
		const stored = foldStoredValue(await accountEntries(db, mergeId, 'storedValue'), now);
		if (!points.ok) throw points.violation;
		if (!stored.ok) throw stored.violation;
		if (points.value.deficit > 0 || stored.value.deficit.principal > 0 || stored.value.deficit.bonus > 0)
			throw new DomainError('ledger.overdraft', { memberId: mergeId });

		const id = newId(now);
		const reason = `会员合并 ${merged.code} → ${keep.code}`;
		const refs = [id, staffId];
		const pointBatches = live(points.value.batches, now);
		const bonusBatches = live(stored.value.bonusBatches, now);
		const pointsMoved = pointBatches.reduce((s, b) => s + b.remaining, 0);
		const bonusMoved = bonusBatches.reduce((s, b) => s + b.remaining, 0);
		const principal = stored.value.principal;
		const out: EntryDraft[] = [];
		const into: EntryDraft[] = [];
		const adjust = (kind: 'adjustIn' | 'adjustOut', extra: Partial<EntryDraft>): EntryDraft =>
			({ kind, account: 'points', amount: 0, refs, reason, ...extra }) as EntryDraft;
		if (pointsMoved > 0) out.push(adjust('adjustOut', { amount: pointsMoved }));
		for (const b of pointBatches)
			into.push(adjust('adjustIn', { amount: b.remaining, refs: [id, b.entryId], ...expiry(b) }));
		if (principal > 0)
			for (const kind of ['adjustOut', 'adjustIn'] as const)
				(kind === 'adjustOut' ? out : into).push(
					adjust(kind, { account: 'storedValue', bucket: 'principal', amount: principal })
				);
		if (bonusMoved > 0)
			out.push(adjust('adjustOut', { account: 'storedValue', bucket: 'bonus', amount: bonusMoved }));
		for (const b of bonusBatches)
			into.push(
				adjust('adjustIn', {
					account: 'storedValue',
					bucket: 'bonus',
					amount: b.remaining,
					refs: [id, b.entryId],
					...expiry(b)
				})
			);
		const stamp = { deviceId, seq: 0, now, newId: () => newId(now) };
		const entries: LedgerEntry[] = [
			...(out.length ? stampEntries(mergeId, out, stamp) : []),
			...(into.length ? stampEntries(keepId, into, stamp) : [])
		];
		const written = await appendEntries(db, deviceId, entries);

		const record: MemberMerge = {
			id,
			keepId,
			mergeId,
			staffId,
			deviceId,
			createdAt: now,
			points: pointsMoved,
			principal,
			bonus: bonusMoved as MemberMerge['bonus'],
			entryIds: written.map((e) => e.id)
		};
		await db.meta.put({ key: MERGE_KEY_PREFIX + id, value: record });
		await db.outbox.add(syncOutboxRow('memberMerges', id, now));
		if (merged.phone !== '') {
			// The phone now belongs to the kept member only; the change is audited like any profile edit.
			const change: ProfileChange = {
				id: newId(now),
				memberId: mergeId,
				field: 'phone',
				from: merged.phone,
				to: '',
				staffId,
				at: now
			};
			await db.members.put({
				...merged,
				phone: '',
				phoneLast4: '',
				updatedAt: Math.max(now, merged.updatedAt + 1)
			});
			await db.profileChanges.add(change);
			await db.outbox.bulkAdd([
				syncOutboxRow('members', mergeId, now),
				syncOutboxRow('profileChanges', change.id, now)
			]);
		}
		return record;
	});
}

const expiry = (b: LedgerBatch) => (b.expiresAt === null ? {} : { expiresAt: b.expiresAt });
