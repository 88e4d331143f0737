/**
 * Measures encoded Yjs document sizes at chain-L with the real layout (layout.ts) and value envelopes.
 *
 *   npx tsx tests/sim/measure-docs.ts [data/seed/chain-L]
 *
 * The seed's short ids (mem-000001) are replaced by UUID-length ids, as tills make them (storage/ids.ts), so the
 * figures are what production documents weigh. Each sale also gets the stock movements a till writes with it.
 * Prints one line per measured document and a JSON summary (the figures in docs/decisions/0008).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import * as Y from 'yjs';
import { placeRecord, type LayoutContext, type SyncTable } from '../../src/lib/sync/layout';
import { envelope, toDocValue } from '../../src/lib/sync/rules';

const wrap = (record: object, by: string) => toDocValue(envelope(record, by));
import { BRANCH_SHARDS, CATALOG_SHARDS, MEMBER_SHARDS, period } from '../../src/lib/sync/protocol';

const dir = resolve(process.argv[2] ?? 'data/seed/chain-L');
const LIMIT = 2 * 1024 * 1024;

/** A deterministic UUIDv7-shaped id for a seed id (36 characters, like newId()). */
const uuids = new Map<string, string>();
function uuid(id: string): string {
	let u = uuids.get(id);
	if (!u) {
		const h = createHash('md5').update(id).digest('hex');
		u = `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
		if (!id.startsWith('led-') && !id.startsWith('sal-') && !id.startsWith('stk-')) uuids.set(id, u);
	}
	return u;
}

async function* lines(file: string): AsyncGenerator<Record<string, unknown>> {
	const rl = createInterface({ input: createReadStream(resolve(dir, file)), crlfDelay: Infinity });
	for await (const line of rl) if (line) yield JSON.parse(line) as Record<string, unknown>;
}

const ctx: LayoutContext = { chain: 'chain-L', branch: '', utcOffsetMinutes: 480 };
const size = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc).byteLength;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

function put(
	docs: Map<string, Y.Doc>,
	table: SyncTable,
	record: Record<string, unknown>,
	by: string
): string {
	const place = placeRecord(table, record, ctx);
	let doc = docs.get(place.name);
	if (!doc) docs.set(place.name, (doc = new Y.Doc()));
	doc.getMap(place.map).set(place.key, wrap(record, by));
	return place.name;
}

function largest(docs: Map<string, Y.Doc>): { name: string; bytes: number; keys: number; mean: number } {
	let best = { name: '', bytes: 0, keys: 0, mean: 0 };
	let total = 0;
	for (const [name, doc] of docs) {
		const bytes = size(doc);
		total += bytes;
		if (bytes > best.bytes) best = { name, bytes, keys: [...doc.share.values()][0]?._map.size ?? 0, mean: 0 };
	}
	return { ...best, mean: Math.round(total / Math.max(1, docs.size)) };
}

function report(label: string, r: { name: string; bytes: number; keys: number; mean: number }): void {
	const ok = r.bytes <= LIMIT ? 'ok' : 'OVER 2 MB';
	console.log(
		`${label.padEnd(34)} largest ${mb(r.bytes).padStart(9)} (${r.keys} keys, ${r.name})  mean ${mb(r.mean)}  ${ok}`
	);
}

const device = (d: unknown) => uuid(String(d));

async function catalog() {
	const docs = new Map<string, Y.Doc>();
	for await (const s of lines('styles.ndjson'))
		put(docs, 'styles', { ...s, id: uuid(String(s.id)) }, device('hq'));
	for await (const v of lines('variants.ndjson'))
		put(docs, 'variants', { ...v, id: uuid(String(v.id)), styleId: uuid(String(v.styleId)) }, device('hq'));
	const r = largest(docs);
	report(`catalog shard (of ${CATALOG_SHARDS})`, r);
	return r;
}

async function members() {
	const docs = new Map<string, Y.Doc>();
	for await (const m of lines('members.ndjson')) {
		const createdAt = Number(m.createdAt);
		const id = uuid(String(m.id));
		put(
			docs,
			'members',
			{
				id,
				code: m.code,
				phone: m.phone,
				name: m.name,
				gender: 'female',
				birthday: '1990-05-17',
				address: '',
				tags: [],
				notes: '',
				homeBranchId: m.homeBranchId,
				marketingConsent: false,
				levelId: m.levelId,
				levelSince: createdAt,
				enrolledAt: createdAt,
				enrolledBy: uuid('staff'),
				updatedAt: createdAt
			},
			device(m.homeBranchId)
		);
		// One audited profile change per member (a birthday added), a typical first year.
		put(
			docs,
			'profileChanges',
			{
				id: uuid(`pc-${String(m.id)}`),
				memberId: id,
				field: 'birthday',
				from: '',
				to: '1990-05-17',
				staffId: uuid('staff'),
				at: createdAt
			},
			device(m.homeBranchId)
		);
	}
	const r = largest(docs);
	report(`member shard (of ${MEMBER_SHARDS}), +1 change each`, r);
	// Edit churn: every profile of the largest shard rewritten 5 times (last writer wins leaves tombstones).
	const doc = docs.get(r.name)!;
	const map = doc.getMap<Record<string, unknown>>('records');
	for (let round = 1; round <= 5; round++)
		for (const [key, value] of [...map.entries()])
			if (key.startsWith('members/'))
				map.set(key, wrap({ ...value, updatedAt: Number(value.updatedAt) + round }, 'x'));
	const churn = { ...r, bytes: size(doc) };
	report('  same shard after 5 edits/member', churn);
	return { ...r, after5Edits: churn.bytes };
}

const LEDGER_KINDS: Record<string, Record<string, string>> = {
	pointsEarn: { account: 'points', kind: 'earn' },
	pointsSpend: { account: 'points', kind: 'spend' },
	storedValueTopUp: { account: 'storedValue', kind: 'topUp', bucket: 'principal' },
	storedValueSpend: { account: 'storedValue', kind: 'spend', bucket: 'principal' }
};

async function ledger() {
	// Two passes: count entries per (shard, month), then build only the fullest cell.
	const counts = new Map<string, number>();
	const entry = (e: Record<string, unknown>) => ({
		id: uuid(String(e.id)),
		memberId: uuid(String(e.memberId)),
		...LEDGER_KINDS[String(e.kind)],
		amount: e.amount,
		...(e.kind === 'pointsEarn' ? { expiresAt: Number(e.createdAt) + 365 * 86_400_000 } : {}),
		deviceId: device(e.deviceId),
		seq: e.seq,
		createdAt: e.createdAt,
		refs: (e.refs as string[]).map(uuid)
	});
	for await (const e of lines('ledger.ndjson')) {
		const name = placeRecord('ledger', entry(e), ctx).name;
		counts.set(name, (counts.get(name) ?? 0) + 1);
	}
	const [fullest] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
	const docs = new Map<string, Y.Doc>();
	for await (const e of lines('ledger.ndjson')) {
		const record = entry(e);
		if (placeRecord('ledger', record, ctx).name === fullest![0])
			put(docs, 'ledger', record, device(e.deviceId));
	}
	const r = largest(docs);
	const months = new Set([...counts.keys()].map((n) => n.split('/').pop())).size;
	const mean = [...counts.values()].reduce((a, b) => a + b, 0) / counts.size;
	report(`ledger shard-month (${counts.size} docs)`, r);
	console.log(`  ${months} months; mean ${mean.toFixed(0)} entries per shard-month, fullest ${fullest![1]}`);
	return { ...r, cells: counts.size, meanEntries: Math.round(mean) };
}

async function branchMonth() {
	const counts = new Map<string, number>();
	for await (const s of lines('sales.ndjson')) {
		const key = `${String(s.branchId)}/${period(Number(s.createdAt))}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	const [fullest] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
	const [branchId, month] = fullest![0].split('/');
	const docs = new Map<string, Y.Doc>();
	let sales = 0;
	for await (const s of lines('sales.ndjson')) {
		if (s.branchId !== branchId || period(Number(s.createdAt)) !== month) continue;
		sales++;
		const id = uuid(String(s.id));
		const pastLines = s.lines as Record<string, number | string>[];
		put(
			docs,
			'sales',
			{
				id,
				number: s.number,
				chainId: 'chain-L',
				branchId,
				deviceId: device(s.deviceId),
				staffId: uuid(String(s.staffId)),
				staffName: '王丽',
				...(s.memberId ? { memberId: uuid(String(s.memberId)), memberPhoneMasked: '138****1234' } : {}),
				createdAt: s.createdAt,
				lines: pastLines.map((l, i) => ({
					lineId: uuid(`${String(s.id)}-l${i}`),
					skuId: uuid(String(l.skuId)),
					qty: l.qty,
					unitPrice: l.unitPrice,
					listTotal: Number(l.unitPrice) * Number(l.qty),
					adjustments: [],
					total: l.total,
					barcode: '6947584861488',
					styleCode: 'BL26S-0001',
					name: '双面呢连帽西装外套',
					size: 'M',
					color: '灰色',
					categoryId: l.categoryId
				})),
				listTotal: s.listTotal,
				discountTotal: s.discountTotal,
				roundingDiscount: 0,
				total: s.total,
				tenders: (s.tenders as object[]).map((t, i) => ({ id: uuid(`${String(s.id)}-t${i}`), ...t })),
				change: 0,
				approvalIds: [],
				negativeStockSkuIds: []
			},
			device(s.deviceId)
		);
		for (const [i, l] of pastLines.entries())
			put(
				docs,
				'stock',
				{
					id: uuid(`${String(s.id)}-m${i}`),
					skuId: uuid(String(l.skuId)),
					branchId,
					qty: -Number(l.qty),
					kind: 'sale',
					refId: id,
					deviceId: device(s.deviceId),
					createdAt: s.createdAt
				},
				device(s.deviceId)
			);
	}
	const r = largest(docs);
	report(`branch-month shard (${counts.size} months x ${BRANCH_SHARDS})`, r);
	console.log(`  fullest: ${sales} sales (+ their stock movements) in ${fullest![0]}`);
	// The opening stock (one receive per SKU) of one branch, if it were booked into a month document.
	const opening = new Y.Doc();
	const map = opening.getMap('records');
	let movements = 0;
	for await (const m of lines('stock.ndjson')) {
		if (m.branchId !== branchId) continue;
		movements++;
		const id = uuid(String(m.id));
		map.set(
			`stock/${id}`,
			wrap({ ...m, id, skuId: uuid(String(m.skuId)), deviceId: device(m.deviceId) }, 'x')
		);
	}
	console.log(
		`  opening stock of ${branchId}: ${movements} movements = ${mb(size(opening))} as one month's records`
	);
	// The budget's offline day: 2,000 sales with one line each, in one document.
	return { ...r, sales, openingStockBytes: size(opening), openingMovements: movements };
}

const t0 = Date.now();
const only = process.env.MEASURE;
const result = {
	catalog: !only || only === 'catalog' ? await catalog() : null,
	members: !only || only === 'members' ? await members() : null,
	ledger: !only || only === 'ledger' ? await ledger() : null,
	branch: !only || only === 'branch' ? await branchMonth() : null
};
console.log(JSON.stringify({ ...result, seconds: Math.round((Date.now() - t0) / 1000) }));
