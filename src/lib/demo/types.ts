/**
 * Shapes of the deterministic demo chain (see generator.ts). Catalog, promotion and stock records reuse the
 * domain types, so an importer can store them as they are once its validators accept them.
 */
import type { MembershipConfig } from '../domain/members/config';
import type { OpeningBalance } from './membership';
import type { PaidPlan } from '../domain/members/types';
import type { Gift, GiftStockMovement } from '../domain/ledger/gifts';
import type { Category, MemberLevel, Style, Variant } from '../domain/catalog';
import type { Fen, RoundingMode } from '../domain/money';
import type { Promotion } from '../domain/pricing/types';
import type { StockMovement } from '../domain/sale';
import type { TenderKind } from '../domain/tender';

export type DemoScale = 'demo' | 'chain-M' | 'chain-L';
export const DEMO_SCALES: readonly DemoScale[] = ['demo', 'chain-M', 'chain-L'];

/** Bumped whenever the same seed would produce different data (the seed script regenerates on a change). */
export const DEMO_GENERATOR_VERSION = 2;

export interface DemoChainInfo {
	id: string;
	name: string;
	currency: 'CNY';
}

export interface DemoBranch {
	id: string;
	/** 'B01', 'B02', ... (used in sale numbers and stock refs). */
	code: string;
	name: string;
	address: string;
	/** Landline with area code, e.g. '021-62881234'. */
	phone: string;
}

/** A till that wrote the seeded history (sales, ledger entries, opening stock). Not enrolled anywhere. */
export interface DemoDevice {
	id: string;
	branchId: string;
	name: string;
}

export interface DemoMember {
	id: string;
	/** Card number printed on the member card, e.g. 'M0000123'. */
	code: string;
	/** Mainland mobile number, 11 digits, /^1[3-9]\d{9}$/; unique in the chain. */
	phone: string;
	name: string;
	levelId: string;
	homeBranchId: string;
	createdAt: number;
}

export type DemoStaffRole = 'owner' | 'manager' | 'cashier';

export interface DemoStaff {
	id: string;
	name: string;
	role: DemoStaffRole;
	branchIds: string[];
	/** Demo PIN in clear text: the importer must hash it and never store it as is. */
	pin: string;
}

export interface DemoSettings {
	rounding: RoundingMode;
	promotionsStackWithLevelPrice: boolean;
	allowNegativeStock: boolean;
}

export interface PastSaleLine {
	skuId: string;
	styleId: string;
	categoryId: string;
	qty: number;
	/** Retail unit price at the time of sale. */
	unitPrice: Fen;
	/** unitPrice x qty minus the member-level discount. */
	total: Fen;
}

export interface PastSaleTender {
	kind: TenderKind;
	amount: Fen;
	/** Points spent (points tender only); 100 points = 1 yuan, so amount = points fen. */
	points?: number;
}

/**
 * A sale from before the import, minimal on purpose (500k of them at chain-L). Lines carry ids only; join the
 * catalog for names, barcodes, sizes and colours. Past sales carry no stock movements: the opening stock in
 * `stock` is the count taken after the history ended.
 */
export interface PastSale {
	id: string;
	/** B01-T2-20261022-0042: branch, till, local (UTC+8) day, per-till-per-day counter. */
	number: string;
	branchId: string;
	deviceId: string;
	staffId: string;
	memberId?: string;
	createdAt: number;
	lines: PastSaleLine[];
	listTotal: Fen;
	/** Member-level price discounts only (no promotions in the seeded history). */
	discountTotal: Fen;
	total: Fen;
	/** Always sum to `total` exactly; no change is recorded. */
	tenders: PastSaleTender[];
}

export type LedgerKind = 'pointsEarn' | 'pointsSpend' | 'storedValueTopUp' | 'storedValueSpend';

/**
 * A points or stored-value ledger entry. `amount` is a positive magnitude (points for points kinds, fen for
 * stored-value kinds); the kind gives the sign. Balances are the fold: earn/top-up add, spend subtracts.
 * Seeded entries are unsigned: the importer must treat them as trusted seed data (or sign them itself).
 */
export interface LedgerEntry {
	id: string;
	memberId: string;
	kind: LedgerKind;
	amount: number;
	deviceId: string;
	/** Per device, 1, 2, 3 ... in createdAt order. */
	seq: number;
	createdAt: number;
	/** Sale id for earn/spend; a top-up receipt id ('top-...') for top-ups. */
	refs: string[];
}

/** The sizes of one scale. Exact: the generator produces exactly these counts. */
export interface ScaleSpec {
	branches: number;
	devicesPerBranch: number;
	styles: number;
	skus: number;
	members: number;
	pastSales: number;
	ledgerEntries: number;
	/** Days of sales history before `asOf`. */
	historyDays: number;
}

export interface DemoCounts {
	branches: number;
	devices: number;
	categories: number;
	levels: number;
	styles: number;
	variants: number;
	stock: number;
	promotions: number;
	members: number;
	staff: number;
	pastSales: number;
	ledgerEntries: number;
}

/** Everything small: what a big scale writes as chain.json next to its NDJSON files. */
export interface DemoChainHeader {
	version: 1;
	generatorVersion: number;
	seed: string;
	scale: DemoScale;
	/** Epoch ms the data describes: history ends here; opening stock and catalog updatedAt are stamped here. */
	asOf: number;
	chain: DemoChainInfo;
	branches: DemoBranch[];
	devices: DemoDevice[];
	categories: Category[];
	/** Index = rank: 0 普通会员, 1 银卡会员, 2 金卡会员, 3 钻石会员. */
	levels: MemberLevel[];
	promotions: Promotion[];
	staff: DemoStaff[];
	settings: DemoSettings;
	membership: MembershipConfig;
	openingBalances: OpeningBalance[];
	plans: PaidPlan[];
	gifts: Gift[];
	giftStock: GiftStockMovement[];
	counts: DemoCounts;
}

/** The whole chain in memory (demo scale; big scales should use the streams instead). */
export interface DemoChain extends DemoChainHeader {
	styles: Style[];
	variants: Variant[];
	/** Opening 'receive' movements, branch-major; a SKU with no movement at a branch is at 0 there. */
	stock: StockMovement[];
	members: DemoMember[];
	/** Seeded history (small at demo scale), in createdAt order. */
	pastSales: PastSale[];
	ledger: LedgerEntry[];
}

/** A style with its SKUs, as the catalog stream yields them. */
export interface StyleWithVariants {
	style: Style;
	variants: Variant[];
}

/** One step of the seeded history, in createdAt order. */
export type HistoryRecord = { type: 'sale'; sale: PastSale } | { type: 'ledger'; entry: LedgerEntry };

/** Lazy, restartable record streams: each call starts a fresh, identical iteration. */
export interface DemoChainStreams {
	header: DemoChainHeader;
	catalog(): Generator<StyleWithVariants>;
	members(): Generator<DemoMember>;
	stock(): Generator<StockMovement>;
	/** Sales and ledger entries interleaved in time order (one pass writes both files). */
	history(): Generator<HistoryRecord>;
	pastSales(): Generator<PastSale>;
	ledgerEntries(): Generator<LedgerEntry>;
}

/** The NDJSON files of a big scale, by record type (one JSON record per line, UTF-8, '\n'-terminated). */
export type DemoFileKind = 'styles' | 'variants' | 'members' | 'stock' | 'sales' | 'ledger';

/**
 * chain.json of chain-M / chain-L: the small records, plus the NDJSON file of each big record type (relative to
 * chain.json). sales.ndjson holds PastSale records, ledger.ndjson LedgerEntry records, both in createdAt order.
 */
export interface DemoChainIndex extends DemoChainHeader {
	files: Record<DemoFileKind, string>;
}

/** manifest.json next to the seed output: lets the seed script skip regeneration and an importer verify files. */
export interface DemoSeedManifest {
	generatorVersion: number;
	seed: string;
	scale: DemoScale;
	files: Record<string, { records: number; bytes: number; sha256: string }>;
	/** sha256 over the files' names and hashes, in order. */
	contentHash: string;
}
