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

export interface MemberRow {
	id: string;
	code: string;
	phone: string;
	phoneLast4: string;
	name: string;
	levelId: string;
	homeBranchId: string;
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
	table: 'sales' | 'stock' | 'approvals' | 'styles' | 'variants';
	recordId: string;
	createdAt: number;
}

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

	constructor(name = 'branchline') {
		// 'strict' makes a committed sale survive a power cut before the receipt prints (invariant 1).
		super(name, { chromeTransactionDurability: 'strict' });
		this.version(1).stores({
			meta: 'key',
			branches: 'id, &code',
			categories: 'id',
			levels: 'id',
			styles: 'id, code, pinyinInitials, categoryId, updatedAt',
			variants: 'id, &barcode, styleId',
			stock: 'id, [skuId+branchId], refId',
			promotions: 'id',
			members: 'id, &phone, phoneLast4, code',
			staff: 'id',
			sales: 'id, &number, createdAt, [branchId+createdAt]',
			carts: 'id, status, updatedAt',
			approvals: 'id, createdAt',
			counters: 'key',
			outbox: 'id, createdAt, table'
		});
	}
}

let instance: BranchlineDb | undefined;

/** The app's database (one per tab). Tests may pass another name to get an isolated database. */
export function getDb(): BranchlineDb {
	instance ??= new BranchlineDb();
	return instance;
}
