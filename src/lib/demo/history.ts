/**
 * The sales history interleaved with the points and stored-value ledger, streamed. Nothing here holds more than
 * compact typed arrays over the catalog and the members, so chain-L (500k sales, 1M ledger entries) streams in
 * constant memory.
 */
import type { MemberLevel, Style, Variant } from '../domain/catalog';
import { fen } from '../domain/money';
import type { TenderKind } from '../domain/tender';
import { skuId, styleId } from './catalog';
import { branchWeights, cashierId, deviceId, memberId as memberIdOf } from './people';
import { createRng, weightedPicker, type Rng } from './prng';
import { CHINA_OFFSET_MS, DAY_MS } from './scales';
import type {
	DemoBranch,
	DemoMember,
	HistoryRecord,
	LedgerEntry,
	LedgerKind,
	PastSale,
	PastSaleLine,
	PastSaleTender,
	ScaleSpec,
	StyleWithVariants
} from './types';
import { CATEGORY_SPECS } from './words';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** What the history needs to know about each SKU, as typed arrays (60k SKUs = a few hundred KB). */
export interface CatalogIndex {
	price: Int32Array;
	/** levelPrice[rank][sku], 0 = no level price. */
	levelPrice: Int32Array[];
	style: Int32Array;
	category: Uint8Array;
}

export function indexCatalog(
	catalog: Iterable<StyleWithVariants>,
	skuCount: number,
	levels: readonly MemberLevel[]
): CatalogIndex {
	const index: CatalogIndex = {
		price: new Int32Array(skuCount),
		levelPrice: levels.map(() => new Int32Array(skuCount)),
		style: new Int32Array(skuCount),
		category: new Uint8Array(skuCount)
	};
	const categoryIndex = new Map(CATEGORY_SPECS.map((c, i) => [c.id, i]));
	let k = 0;
	let s = 0;
	for (const { style, variants } of catalog) {
		for (const variant of variants) addSku(index, k++, s, style, variant, levels, categoryIndex);
		s++;
	}
	if (k !== skuCount) throw new Error(`catalog has ${k} SKUs, expected ${skuCount}`);
	return index;
}

function addSku(
	index: CatalogIndex,
	k: number,
	s: number,
	style: Style,
	variant: Variant,
	levels: readonly MemberLevel[],
	categoryIndex: Map<string, number>
): void {
	index.price[k] = variant.retailPrice ?? style.retailPrice;
	for (const level of levels) {
		const lp = style.levelPrices[level.id];
		const target = index.levelPrice[level.rank];
		if (lp !== undefined && target) target[k] = lp;
	}
	index.style[k] = s;
	index.category[k] = categoryIndex.get(style.categoryId) ?? 0;
}

/** Members as typed arrays; createdAt is non-decreasing (generateMembers guarantees it). */
export interface MemberIndex {
	createdAt: Float64Array;
	rank: Uint8Array;
	home: Uint8Array;
}

export function indexMembers(
	members: Iterable<DemoMember>,
	count: number,
	levels: readonly MemberLevel[],
	branches: readonly DemoBranch[]
): MemberIndex {
	const rankOf = new Map(levels.map((l) => [l.id, l.rank]));
	const branchOf = new Map(branches.map((b, i) => [b.id, i]));
	const index: MemberIndex = {
		createdAt: new Float64Array(count),
		rank: new Uint8Array(count),
		home: new Uint8Array(count)
	};
	let i = 0;
	for (const m of members) {
		index.createdAt[i] = m.createdAt;
		index.rank[i] = rankOf.get(m.levelId) ?? 0;
		index.home[i] = branchOf.get(m.homeBranchId) ?? 0;
		i++;
	}
	return index;
}

/** How many members had enrolled by time t (upper bound in the sorted createdAt array). */
function enrolledBy(createdAt: Float64Array, t: number): number {
	let lo = 0;
	let hi = createdAt.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if ((createdAt[mid] as number) <= t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export interface HistoryOptions {
	seed: string;
	spec: ScaleSpec;
	branches: readonly DemoBranch[];
	catalog: CatalogIndex;
	members: MemberIndex;
	asOf: number;
}

const PAY_KIND = weightedPicker<TenderKind>([
	['wechat', 45],
	['alipay', 35],
	['cash', 12],
	['unionpay', 8]
]);
const LINE_COUNT = weightedPicker([
	[1, 45],
	[2, 30],
	[3, 15],
	[4, 7],
	[5, 3]
]);
const TOP_UP_FEN = weightedPicker([
	[50_000, 3],
	[100_000, 4],
	[200_000, 2],
	[300_000, 1],
	[500_000, 0.5]
]);
/** A member sale writes at most pointsSpend + storedValueSpend + pointsEarn. */
const MAX_ENTRIES_PER_SALE = 3;

function localDay(t: number): string {
	const d = new Date(t + CHINA_OFFSET_MS);
	return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
}

/** Sales per day: weekends busier; exact total via cumulative rounding. */
function salesPerDay(start: number, days: number, total: number): number[] {
	const weights = Array.from({ length: days }, (_, d) => {
		const weekday = new Date(start + d * DAY_MS + CHINA_OFFSET_MS).getUTCDay();
		return weekday === 0 || weekday === 6 ? 1.6 : weekday === 5 ? 1.2 : 1;
	});
	const sumWeights = weights.reduce((a, b) => a + b, 0);
	const counts: number[] = [];
	let cumulative = 0;
	for (const w of weights) {
		const before = Math.floor((cumulative / sumWeights) * total);
		cumulative += w;
		counts.push(Math.floor((cumulative / sumWeights) * total) - before);
	}
	counts[counts.length - 1] = (counts.at(-1) ?? 0) + total - counts.reduce((a, b) => a + b, 0);
	return counts;
}

/**
 * The seeded history in createdAt order: exactly `spec.pastSales` sales and `spec.ledgerEntries` ledger entries.
 * Member sales earn 1 point per yuan paid and may spend points (100 points = 1 yuan, at most 20 % of the sale)
 * or stored value; top-ups fill the ledger up to its count. Balances never go negative at any point in time.
 */
export function* generateHistory(opts: HistoryOptions): Generator<HistoryRecord> {
	const { seed, spec, branches, catalog, members, asOf } = opts;
	const rng = createRng(seed).fork('history');
	const skuCount = catalog.price.length;
	const memberCount = members.createdAt.length;
	const weights = branchWeights(seed, branches.length);
	const pickBranch = weightedPicker(branches.map((_, i) => [i, weights[i] ?? 1] as const));
	// Popular SKUs: a shuffled order, sampled with a bias towards its front.
	const popular = Int32Array.from(rng.shuffle(Array.from({ length: skuCount }, (_, i) => i)));
	const points = new Float64Array(memberCount);
	const stored = new Float64Array(memberCount);
	const seqs = new Int32Array(branches.length * spec.devicesPerBranch);
	const tillCounters = new Int32Array(seqs.length);
	let ledgerCount = 0;
	let topUpCount = 0;

	const entry = (
		m: number,
		kind: LedgerKind,
		amount: number,
		dev: number,
		t: number,
		ref: string
	): LedgerEntry => {
		seqs[dev] = (seqs[dev] ?? 0) + 1;
		ledgerCount++;
		if (kind === 'pointsEarn') points[m] = (points[m] ?? 0) + amount;
		else if (kind === 'pointsSpend') points[m] = (points[m] ?? 0) - amount;
		else if (kind === 'storedValueTopUp') stored[m] = (stored[m] ?? 0) + amount;
		else stored[m] = (stored[m] ?? 0) - amount;
		return {
			id: `led-${pad(ledgerCount, 7)}`,
			memberId: memberIdOf(m),
			kind,
			amount,
			deviceId: deviceId(Math.floor(dev / spec.devicesPerBranch), (dev % spec.devicesPerBranch) + 1),
			seq: seqs[dev] ?? 0,
			createdAt: t,
			refs: [ref]
		};
	};

	/** `count` top-ups spread evenly over (from, to), by members enrolled by `from`. */
	function* topUps(count: number, from: number, to: number): Generator<HistoryRecord> {
		const eligible = enrolledBy(members.createdAt, from);
		if (eligible === 0) return;
		for (let j = 0; j < count; j++) {
			const m = rng.int(0, eligible - 1);
			const dev = (members.home[m] ?? 0) * spec.devicesPerBranch;
			const t = from + Math.floor(((j + 1) * (to - from)) / (count + 1));
			topUpCount++;
			yield {
				type: 'ledger',
				entry: entry(m, 'storedValueTopUp', TOP_UP_FEN(rng), dev, t, `top-${pad(topUpCount, 7)}`)
			};
		}
	}

	const start = asOf - spec.historyDays * DAY_MS;
	const perDay = salesPerDay(start, spec.historyDays, spec.pastSales);
	const shopOpen = 10 * 3600 * 1000;
	const shopHours = 12 * 3600 * 1000;
	let saleNo = 0;
	let prevT = start;
	for (const [d, dayCount] of perDay.entries()) {
		const dayStart = start + d * DAY_MS;
		const day = localDay(dayStart);
		tillCounters.fill(0);
		for (let k = 0; k < dayCount; k++) {
			const t = dayStart + shopOpen + Math.floor(((k + rng.next()) * shopHours) / dayCount);
			saleNo++;
			const eligible = enrolledBy(members.createdAt, t);
			const ledgerLeft = spec.ledgerEntries - ledgerCount;
			const m =
				eligible > 0 && ledgerLeft >= MAX_ENTRIES_PER_SALE && rng.chance(0.62)
					? rng.int(0, eligible - 1)
					: -1;
			const b = m >= 0 && rng.chance(0.8) ? (members.home[m] ?? 0) : pickBranch(rng);
			const till = rng.int(1, spec.devicesPerBranch);
			const dev = b * spec.devicesPerBranch + till - 1;
			const rank = m >= 0 ? (members.rank[m] ?? 0) : 0;
			const lines = saleLines(rng, catalog, popular, rank);
			const listTotal = lines.reduce((s, l) => s + l.unitPrice * l.qty, 0);
			const total = lines.reduce((s, l) => s + l.total, 0);

			// Plan the tenders, then fill the ledger with earlier top-ups, then write the sale's own entries.
			const tenders: PastSaleTender[] = [];
			let due = total;
			let pointsUsed = 0;
			let storedUsed = 0;
			if (m >= 0 && (points[m] ?? 0) >= 1000 && rng.chance(0.12)) {
				pointsUsed = Math.min(Math.floor((points[m] ?? 0) / 100) * 100, Math.floor(total / 500) * 100);
				if (pointsUsed > 0) tenders.push({ kind: 'points', amount: fen(pointsUsed), points: pointsUsed });
				due -= pointsUsed;
			}
			if (m >= 0 && (stored[m] ?? 0) > 0 && due > 0 && rng.chance(0.45)) {
				storedUsed = Math.min(stored[m] ?? 0, due);
				tenders.push({ kind: 'storedValue', amount: fen(storedUsed) });
				due -= storedUsed;
			}
			if (due > 0) tenders.push({ kind: PAY_KIND(rng), amount: fen(due) });
			const earned = m >= 0 ? Math.floor((total - pointsUsed) / 100) : 0;
			const own = (pointsUsed > 0 ? 1 : 0) + (storedUsed > 0 ? 1 : 0) + (earned > 0 ? 1 : 0);
			const target = Math.floor((saleNo * spec.ledgerEntries) / spec.pastSales);
			yield* topUps(Math.max(0, target - ledgerCount - own), prevT, t);
			prevT = t;

			tillCounters[dev] = (tillCounters[dev] ?? 0) + 1;
			const branch = branches[b] as DemoBranch;
			const sale: PastSale = {
				id: `sal-${pad(saleNo, 7)}`,
				number: `${branch.code}-T${till}-${day}-${pad(tillCounters[dev] ?? 0, 4)}`,
				branchId: branch.id,
				deviceId: deviceId(b, till),
				staffId: rng.chance(0.9) ? cashierId(b) : 'stf-manager',
				...(m >= 0 ? { memberId: memberIdOf(m) } : {}),
				createdAt: t,
				lines,
				listTotal: fen(listTotal),
				discountTotal: fen(listTotal - total),
				total: fen(total),
				tenders
			};
			yield { type: 'sale', sale };
			if (pointsUsed > 0)
				yield { type: 'ledger', entry: entry(m, 'pointsSpend', pointsUsed, dev, t, sale.id) };
			if (storedUsed > 0)
				yield { type: 'ledger', entry: entry(m, 'storedValueSpend', storedUsed, dev, t, sale.id) };
			if (earned > 0) yield { type: 'ledger', entry: entry(m, 'pointsEarn', earned, dev, t, sale.id) };
		}
	}
	yield* topUps(spec.ledgerEntries - ledgerCount, prevT, asOf);
	if (ledgerCount !== spec.ledgerEntries) {
		throw new Error(`history wrote ${ledgerCount} ledger entries, expected ${spec.ledgerEntries}`);
	}
}

function saleLines(rng: Rng, catalog: CatalogIndex, popular: Int32Array, rank: number): PastSaleLine[] {
	const lines: PastSaleLine[] = [];
	const count = LINE_COUNT(rng);
	for (let j = 0; j < count; j++) {
		const k = popular[Math.floor(rng.next() ** 2 * popular.length)] ?? 0;
		const category = CATEGORY_SPECS[catalog.category[k] ?? 0];
		const qty = category?.multiBuy ? rng.int(1, 3) : rng.chance(0.06) ? 2 : 1;
		const id = skuId(k);
		const existing = lines.find((l) => l.skuId === id);
		const unit = catalog.price[k] ?? 0;
		const level = rank > 0 ? (catalog.levelPrice[rank]?.[k] ?? 0) : 0;
		const paid = level > 0 ? level : unit;
		if (existing) {
			existing.qty += qty;
			existing.total = fen(existing.total + paid * qty);
			continue;
		}
		lines.push({
			skuId: id,
			styleId: styleId(catalog.style[k] ?? 0),
			categoryId: category?.id ?? '',
			qty,
			unitPrice: fen(unit),
			total: fen(paid * qty)
		});
	}
	return lines;
}
