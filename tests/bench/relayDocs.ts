/**
 * Synthetic documents for the relay memory benchmark, named by the real layout (src/lib/sync/layout.ts
 * deviceDocs: config, 16 catalog shards, 64 member shards, two months of 64 ledger shards, and per branch two
 * months of 4 shards) and sized like the chain-L documents measured in docs/decisions/0008 (catalog shard
 * 1.53 MB, member shard 1.18 MB, ledger shard-month 0.54 MB, branch shard-month ~0.95 MB). `scale` 1 = chain-L
 * (30 branches); 0.1 = chain-M. Record counts and sizes follow the data set: 100k members / 64 shards with their
 * profile history, 66k catalog records / 16, ~83k ledger entries a month / 64, ~4.2k sales a month per branch
 * with their stock movements / 4.
 */
import * as Y from 'yjs';
import { deviceDocs } from '../../src/lib/sync/layout';
import { docName, ENTRIES_MAP, RECORDS_MAP, type DocRef } from '../../src/lib/sync/protocol';

export type BenchDoc = DocRef & { name: string };

/** Records per document at chain-L and the bytes each takes encoded. */
const SHAPE: Record<DocRef['kind'], { records: number; bytes: number }> = {
	config: { records: 200, bytes: 400 },
	catalog: { records: 4_125, bytes: 370 },
	members: { records: 1_560, bytes: 760 },
	ledger: { records: 1_300, bytes: 415 },
	branch: { records: 1_400, bytes: 680 }
};

/** Every document of the chain: what an owner's till opens (the app's own layout), in November 2026. */
export function chainDocs(chain: string, scale: number): BenchDoc[] {
	const branches = Array.from(
		{ length: Math.max(1, Math.round(30 * scale)) },
		(_, i) => `br-${String(i + 1).padStart(2, '0')}`
	);
	const refs = deviceDocs(
		{ chain, branch: branches[0] ?? 'br-01', utcOffsetMinutes: 480, readBranches: branches },
		Date.UTC(2026, 10, 15)
	);
	return refs.map((ref) => ({ ...ref, name: docName(ref) }));
}

const FILL = '枝线服饰会员资料备注abcdefghijklmnopqrstuvwxyz0123456789';

/** A plain record of about `bytes` bytes with a dozen fields, like a sale, member or entry envelope. */
function record(id: string, i: number, bytes: number): Record<string, unknown> {
	const base = {
		id,
		amount: 100 + (i % 5000),
		kind: 'bench',
		memberId: `0193a1b2-7c3d-7e4f-8a9b-${String(i).padStart(12, '0')}`,
		deviceId: 'dev-bench',
		seq: i,
		createdAt: 1_793_000_000_000 + i * 1000,
		updatedAt: 1_793_000_000_000 + i * 1000,
		branchId: 'br-01',
		staffId: 'st-0001',
		refs: ['sale', `s-${i}`]
	};
	const used = JSON.stringify(base).length + 16;
	const pad = Math.max(0, bytes - used);
	let note = '';
	while (note.length < pad) note += FILL;
	return { ...base, note: note.slice(0, Math.floor(pad / 1.5)) };
}

/** One document of the layout filled at `scale`, written by a single client. */
export function fillDoc(ref: BenchDoc, scale: number): Y.Doc {
	const { records, bytes } = SHAPE[ref.kind];
	// A smaller chain has fewer branches, members and products; a branch's own month stays as busy.
	const count = Math.max(1, Math.round(ref.kind === 'branch' ? records : records * Math.min(1, scale)));
	const doc = new Y.Doc();
	const ledger = ref.kind === 'ledger';
	const map = doc.getMap(ledger ? ENTRIES_MAP : RECORDS_MAP);
	doc.transact(() => {
		for (let i = 0; i < count; i++) {
			const id = `${ref.name.replaceAll('/', '-')}-${i}`;
			map.set(ledger ? id : `${ref.kind}/${id}`, record(id, i, bytes));
		}
	});
	return doc;
}
