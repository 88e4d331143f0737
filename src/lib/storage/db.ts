/**
 * The till's one IndexedDB database. Every table the UI reads is indexed for the query it runs (barcode,
 * phone, last four digits, sale number, day). All writes that matter for money or stock go through
 * repositories in this folder, which commit them together with outbox rows in one transaction.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Category, MemberLevel, Style, Variant } from '$lib/domain/catalog';
import type { Promotion } from '$lib/domain/pricing/types';
import type { Sale, StockMovement } from '$lib/domain/sale';
import type { Cart } from '$lib/domain/cart';
import type { Approval, Staff } from '$lib/domain/staff';
import type { Fen } from '$lib/domain/money';
import type { Tender } from '$lib/domain/tender';
import type { MemberProfile, PaidPlan, PlanSubscription, ProfileChange } from '$lib/domain/members/types';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import type { Gift, GiftStockMovement } from '$lib/domain/ledger/gifts';

/** A member profile as stored: the domain profile plus the last four digits, indexed for look-up. */
export interface MemberRow extends MemberProfile {
	phoneLast4: string;
}

/** A stored-value top-up taken at the till: money in the drawer or a wallet, with its bonus. */
export interface TopUpRow {
	id: string;
	number: string;
	memberId: string;
	branchId: string;
	deviceId: string;
	staffId: string;
	principal: Fen;
	bonus: Fen;
	tenders: Tender[];
	change: Fen;
	createdAt: number;
}

/** A gift redemption (积分商城) at the till. */
export interface RedemptionRow {
	id: string;
	memberId: string;
	giftId: string;
	qty: number;
	points: number;
	cash: Fen;
	tenders: Tender[];
	branchId: string;
	deviceId: string;
	staffId: string;
	createdAt: number;
}

export interface BranchRow {
	id: string;
	code: string;
	name: string;
	address: string;
	phone: string;
}

/** A stored open or suspended cart. Validated on read (it may come from an older app version). */
export interface CartRow {
	id: string;
	status: 'open' | 'suspended';
	label: string;
	staffId: string;
	cart: Cart;
	updatedAt: number;
}

/** A change waiting to reach the relay (branch sync). Survives reloads; removed only once acknowledged. */
export interface OutboxRow {
	id: string;
	table: OutboxTable;
	recordId: string;
	/**
	 * More records committed in the same transaction that leave with this one (a sale's stock movements,
	 * approvals and ledger entries): one row per sale instead of one per record. The row is removed once the
	 * relay has all of them. Only union (append-only) tables: a last-writer-wins record keeps a row of its own,
	 * because remote changes are checked against pending rows by table and record id (sync/materialize.ts).
	 */
	also?: { table: OutboxTable; recordIds: string[] }[];
	createdAt: number;
}

export type OutboxTable =
	| 'sales'
	| 'stock'
	| 'approvals'
	| 'styles'
	| 'variants'
	| 'members'
	| 'profileChanges'
	| 'ledger'
	| 'subscriptions'
	| 'topUps'
	| 'redemptions'
	| 'giftStock';

export interface KeyValueRow {
	key: string;
	value: unknown;
}

export interface CounterRow {
	key: string;
	value: number;
}

export class BranchlineDb extends Dexie {
	meta!: EntityTable<KeyValueRow, 'key'>;
	branches!: EntityTable<BranchRow, 'id'>;
	categories!: EntityTable<Category, 'id'>;
	levels!: EntityTable<MemberLevel, 'id'>;
	styles!: EntityTable<Style, 'id'>;
	variants!: EntityTable<Variant, 'id'>;
	stock!: EntityTable<StockMovement, 'id'>;
	promotions!: EntityTable<Promotion, 'id'>;
	members!: EntityTable<MemberRow, 'id'>;
	staff!: EntityTable<Staff, 'id'>;
	sales!: EntityTable<Sale, 'id'>;
	carts!: EntityTable<CartRow, 'id'>;
	approvals!: EntityTable<Approval, 'id'>;
	counters!: EntityTable<CounterRow, 'key'>;
	outbox!: EntityTable<OutboxRow, 'id'>;
	ledger!: EntityTable<LedgerEntry, 'id'>;
	profileChanges!: EntityTable<ProfileChange, 'id'>;
	plans!: EntityTable<PaidPlan, 'id'>;
	subscriptions!: EntityTable<PlanSubscription, 'id'>;
	gifts!: EntityTable<Gift, 'id'>;
	giftStock!: EntityTable<GiftStockMovement, 'id'>;
	topUps!: EntityTable<TopUpRow, 'id'>;
	redemptions!: EntityTable<RedemptionRow, 'id'>;

	constructor(name = 'branchline') {
		// 'strict' makes a committed sale survive a power cut before the receipt prints (invariant 1).
		super(name, { chromeTransactionDurability: 'strict' });
		this.version(1).stores(SCHEMA_V1);
		// Version 2 (issue 5, sale commit): drops indexes no query uses, which every sale paid for in writes —
		// stock.refId (10 keys a sale), sales.createdAt ([branchId+createdAt] serves the day's sales),
		// outbox.createdAt (the writer sorts rows it has read), carts.updatedAt and approvals.createdAt. Rows stay
		// as they are; IndexedDB drops the index entries during the upgrade.
		this.version(2).stores(SCHEMA_V2_CHANGES);
	}
}

/** The first released schema (kept so the upgrade from it is tested). */
export const SCHEMA_V1: Readonly<Record<string, string>> = {
	meta: 'key',
	branches: 'id, &code',
	categories: 'id',
	levels: 'id',
	styles: 'id, code, pinyinInitials, categoryId, updatedAt',
	variants: 'id, &barcode, styleId',
	stock: 'id, [skuId+branchId], refId',
	promotions: 'id',
	// Phone is not a unique index: two offline branches may enrol the same phone; both are kept and
	// merged later by an audited member merge. Uniqueness is checked at enrolment on each till.
	members: 'id, phone, phoneLast4, code, name, updatedAt',
	staff: 'id',
	sales: 'id, &number, createdAt, [branchId+createdAt], memberId',
	carts: 'id, status, updatedAt',
	approvals: 'id, createdAt',
	counters: 'key',
	outbox: 'id, createdAt, table',
	ledger: 'id, memberId, [memberId+account], createdAt',
	profileChanges: 'id, memberId',
	plans: 'id',
	subscriptions: 'id, memberId, endsAt',
	gifts: 'id',
	giftStock: 'id, [giftId+branchId]',
	topUps: 'id, memberId, &number, createdAt',
	redemptions: 'id, memberId, createdAt'
};

/** Tables whose indexes changed in version 2 (Dexie carries the other tables over). */
export const SCHEMA_V2_CHANGES: Readonly<Record<string, string>> = {
	sales: 'id, &number, [branchId+createdAt], memberId',
	stock: 'id, [skuId+branchId]',
	carts: 'id, status',
	approvals: 'id',
	outbox: 'id, table'
};

let instance: BranchlineDb | undefined;

/** The app's database (one per tab). Tests may pass another name to get an isolated database. */
export function getDb(): BranchlineDb {
	instance ??= new BranchlineDb();
	return instance;
}
