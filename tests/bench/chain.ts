/**
 * The Node-side model of a seeded chain: what the bench keeps in memory while streaming the NDJSON files
 * (catalog and members, for picking realistic barcodes and phones), the PastSale → stored Sale conversion and
 * the sale drafts the commit benchmark replays.
 */
import { randomUUID } from 'node:crypto';
import type { Style, Variant } from '../../src/lib/domain/catalog';
import type { Fen } from '../../src/lib/domain/money';
import type { Sale, SaleLine, StockMovement } from '../../src/lib/domain/sale';
import type { DemoChainIndex, DemoMember, PastSale } from '../../src/lib/demo/types';
import { maskPhone } from '../../src/lib/storage/members';
import { rng, sample } from './stats';
import type { CommitCase } from './types';

const fen = (n: number) => n as Fen;

export interface ChainModel {
	header: DemoChainIndex;
	styles: Map<string, Style>;
	variants: Map<string, Variant>;
	members: Pick<DemoMember, 'id' | 'phone' | 'levelId'>[];
	memberById: Map<string, Pick<DemoMember, 'id' | 'phone' | 'levelId'>>;
	staffNames: Map<string, string>;
}

export function emptyModel(header: DemoChainIndex): ChainModel {
	return {
		header,
		styles: new Map(),
		variants: new Map(),
		members: [],
		memberById: new Map(),
		staffNames: new Map(header.staff.map((s) => [s.id, s.name]))
	};
}

export function remember(model: ChainModel, kind: string, record: unknown): void {
	if (kind === 'styles') {
		const style = record as Style;
		model.styles.set(style.id, style);
	} else if (kind === 'variants') {
		const variant = record as Variant;
		model.variants.set(variant.id, variant);
	} else if (kind === 'members') {
		const { id, phone, levelId } = record as DemoMember;
		const member = { id, phone, levelId };
		model.members.push(member);
		model.memberById.set(id, member);
	}
}

/** A past sale as the till stores a sale: line snapshots from the catalog, tender ids, the sale's own fields. */
export function toStoredSale(model: ChainModel, past: PastSale): Sale {
	const member = past.memberId ? model.memberById.get(past.memberId) : undefined;
	const lines: SaleLine[] = past.lines.map((line, i) => {
		const variant = model.variants.get(line.skuId);
		const style = model.styles.get(line.styleId);
		const listTotal = line.unitPrice * line.qty;
		const discount = listTotal - line.total;
		return {
			lineId: `${past.id}-l${i + 1}`,
			skuId: line.skuId,
			qty: line.qty,
			unitPrice: line.unitPrice,
			listTotal: fen(listTotal),
			adjustments:
				discount > 0 && member
					? [{ source: { kind: 'levelPrice', levelId: member.levelId }, amount: fen(discount) }]
					: [],
			total: line.total,
			barcode: variant?.barcode ?? '',
			styleCode: style?.code ?? '',
			name: style?.name ?? '',
			size: variant?.size ?? '',
			color: variant?.color ?? '',
			categoryId: line.categoryId
		};
	});
	return {
		id: past.id,
		number: past.number,
		chainId: model.header.chain.id,
		branchId: past.branchId,
		deviceId: past.deviceId,
		staffId: past.staffId,
		staffName: model.staffNames.get(past.staffId) ?? '',
		...(member ? { memberId: member.id, memberPhoneMasked: maskPhone(member.phone) } : {}),
		createdAt: past.createdAt,
		lines,
		listTotal: past.listTotal,
		discountTotal: past.discountTotal,
		roundingDiscount: fen(0),
		total: past.total,
		tenders: past.tenders.map((t, i) => ({ id: `${past.id}-t${i + 1}`, ...t })),
		change: fen(0),
		approvalIds: [],
		negativeStockSkuIds: []
	};
}

/** Active SKUs of active styles: what a cashier can actually scan. */
export function sellable(model: ChainModel): Variant[] {
	return [...model.variants.values()].filter((v) => v.active && model.styles.get(v.styleId)?.active);
}

export interface Picks {
	scanBarcodes: string[];
	phones: string[];
	last4s: string[];
	/** Members whose level has its own prices, so attaching one reprices the cart. */
	levelMembers: string[];
	repriceBarcodes: string[];
	/** For the storage splits of a scan (drawn apart from scanBarcodes, so they do not warm its rows). */
	splitBarcodes: string[];
	commitCases: CommitCase[];
}

export interface PickCounts {
	scans: number;
	lookups: number;
	attaches: number;
	commits: number;
	splits: number;
}

export function pick(model: ChainModel, counts: PickCounts, seed = 20261101): Picks {
	const random = rng(seed);
	const skus = sellable(model);
	const leveled = new Set(model.header.levels.filter((l) => l.rank > 0).map((l) => l.id));
	const owner = model.header.staff.find((s) => s.role === 'owner');
	const branch = model.header.branches[0];
	if (!owner || !branch) throw new Error('the chain has no owner or no branch');
	const commitCases = Array.from({ length: counts.commits }, () =>
		commitCase(model, sample(skus, 10, random), owner, branch.id)
	);
	return {
		scanBarcodes: sample(skus, counts.scans, random).map((v) => v.barcode),
		phones: sample(model.members, counts.lookups, random).map((m) => m.phone),
		last4s: sample(model.members, counts.lookups, random).map((m) => m.phone.slice(-4)),
		levelMembers: sample(
			model.members.filter((m) => leveled.has(m.levelId)),
			counts.attaches,
			random
		).map((m) => m.phone),
		repriceBarcodes: sample(skus, 10, random).map((v) => v.barcode),
		splitBarcodes: sample(skus, counts.splits, random).map((v) => v.barcode),
		commitCases
	};
}

/** A realistic checkout: 10 lines, cash + WeChat, one stock movement per line; timestamps are set in the page. */
function commitCase(
	model: ChainModel,
	skus: Variant[],
	owner: { id: string; name: string },
	branchId: string
): CommitCase {
	const saleId = `bench-${randomUUID()}`;
	const deviceId = 'bench-device';
	const lines: SaleLine[] = skus.map((variant) => {
		const style = model.styles.get(variant.styleId);
		const price = variant.retailPrice ?? style?.retailPrice ?? fen(9900);
		return {
			lineId: randomUUID(),
			skuId: variant.id,
			qty: 1,
			unitPrice: price,
			listTotal: price,
			adjustments: [],
			total: price,
			barcode: variant.barcode,
			styleCode: style?.code ?? '',
			name: style?.name ?? '',
			size: variant.size,
			color: variant.color,
			categoryId: style?.categoryId ?? ''
		};
	});
	const total = lines.reduce((s, l) => s + l.total, 0);
	const cash = Math.floor(total / 2);
	const movements: StockMovement[] = lines.map((line) => ({
		id: randomUUID(),
		skuId: line.skuId,
		branchId,
		qty: -line.qty,
		kind: 'sale',
		refId: saleId,
		deviceId,
		createdAt: 0
	}));
	return {
		staffId: owner.id,
		draft: {
			sale: {
				id: saleId,
				chainId: model.header.chain.id,
				branchId,
				deviceId,
				staffId: owner.id,
				staffName: owner.name,
				createdAt: 0,
				lines,
				listTotal: fen(total),
				discountTotal: fen(0),
				roundingDiscount: fen(0),
				total: fen(total),
				tenders: [
					{ id: randomUUID(), kind: 'cash', amount: fen(cash) },
					{ id: randomUUID(), kind: 'wechat', amount: fen(total - cash), reference: '4200001234567890' }
				],
				change: fen(0),
				approvalIds: [],
				negativeStockSkuIds: []
			},
			movements,
			approvals: [],
			cartId: randomUUID()
		}
	};
}
