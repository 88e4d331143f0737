/**
 * App-wide state: the database, this till's identity (chain, branch, till code), chain settings, and the
 * storage health banner. Loads once at start; nothing here touches the scan/checkout hot path.
 */
import type { BranchlineDb, BranchRow } from '$lib/storage/db';
import { localDateKey } from '$lib/domain/saleNumber';
import { getDb } from '$lib/storage/db';
import { SkuIndex } from '$lib/storage/skuIndex';
import { loadDeviceConfig, saveDeviceConfig, type DeviceConfig } from '$lib/storage/device';
import { ensureDemoChain } from '$lib/storage/seed';
import { loadSettings, saveSettings, type ChainSettings } from '$lib/storage/settings';
import type { MemberLevel, Category } from '$lib/domain/catalog';
import type { Promotion } from '$lib/domain/pricing/types';
import { LocaleState } from './locale.svelte';
import { loadMembership } from '$lib/storage/membership';
import type { MembershipConfig } from '$lib/domain/members/config';
import type { PaidPlan } from '$lib/domain/members/types';
import type { Gift } from '$lib/domain/ledger/gifts';

export type StorageWarning = 'persistRefused' | 'quotaExceeded' | 'unavailable';

export class AppState {
	readonly db: BranchlineDb;
	/** The catalog by barcode in memory, for the scan path (loaded by startBackgroundWork). */
	readonly skuIndex: SkuIndex;
	readonly locale = new LocaleState();
	status = $state<'loading' | 'ready' | 'failed'>('loading');
	failure = $state<string | null>(null);
	device = $state.raw<DeviceConfig | null>(null);
	branches = $state.raw<BranchRow[]>([]);
	settings = $state.raw<ChainSettings | null>(null);
	promotions = $state.raw<Promotion[]>([]);
	levels = $state.raw<MemberLevel[]>([]);
	categories = $state.raw<Category[]>([]);
	/** The chain's membership programme; null when the chain has none set up. */
	membership = $state.raw<MembershipConfig | null>(null);
	plans = $state.raw<PaidPlan[]>([]);
	gifts = $state.raw<Gift[]>([]);
	storageWarning = $state<StorageWarning | null>(null);
	/** Local changes the relay has not acknowledged yet (branch sync arrives with the relay). */
	unsyncedCount = $state(0);
	unsyncedSales = $state(0);

	branch = $derived(this.branches.find((b) => b.id === this.device?.branchId) ?? null);

	constructor(db: BranchlineDb = getDb()) {
		this.db = db;
		this.skuIndex = new SkuIndex(db);
	}

	/** Work that can wait until the first screen is painted: loading the catalog index for scanning. */
	startBackgroundWork(): void {
		if (this.status !== 'ready') return;
		const start = () => void this.skuIndex.start().catch((error: unknown) => this.reportStorageError(error));
		if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 500 });
		else setTimeout(start, 0);
	}

	async init(): Promise<void> {
		try {
			await ensureDemoChain(this.db);
			this.device = await loadDeviceConfig(this.db);
			await this.reloadReference();
			await this.refreshUnsynced();
			this.status = 'ready';
			void this.checkPersistence();
		} catch (error) {
			this.failure = this.locale.error(error);
			if (error instanceof DOMException && error.name === 'QuotaExceededError')
				this.storageWarning = 'quotaExceeded';
			this.status = 'failed';
		}
	}

	/** Reloads the small reference tables the till keeps in memory (settings, promotions, levels). */
	async reloadReference(): Promise<void> {
		const [branches, settings, promotions, levels, categories, membership, plans, gifts] = await Promise.all([
			this.db.branches.toArray(),
			loadSettings(this.db),
			this.db.promotions.toArray(),
			this.db.levels.toArray(),
			this.db.categories.toArray(),
			loadMembership(this.db),
			this.db.plans.toArray(),
			this.db.gifts.toArray()
		]);
		this.membership = membership ?? null;
		this.plans = plans;
		this.gifts = gifts;
		this.branches = branches;
		this.settings = settings;
		this.promotions = promotions;
		this.levels = levels.sort((a, b) => a.rank - b.rank);
		this.categories = categories;
	}

	async refreshUnsynced(): Promise<void> {
		[this.unsyncedCount, this.unsyncedSales] = await Promise.all([
			this.db.outbox.count(),
			this.db.outbox.where('table').equals('sales').count()
		]);
	}

	async updateSettings(patch: Partial<ChainSettings>): Promise<void> {
		if (!this.settings) return;
		const next = { ...this.settings, ...patch };
		await saveSettings(this.db, next);
		this.settings = next;
	}

	/** What a member-money write needs to know about this till (ids, staff, today's receipt numbering). */
	tillContext(staff: { id: string; name: string }) {
		const device = this.device;
		const branch = this.branch;
		if (!device || !branch) throw new Error('till is not set up');
		const now = Date.now();
		return {
			deviceId: device.deviceId,
			branchId: branch.id,
			chainId: device.chainId,
			staffId: staff.id,
			staffName: staff.name,
			numberParts: {
				branchCode: branch.code,
				tillCode: device.tillCode,
				dateKey: localDateKey(now, -new Date(now).getTimezoneOffset())
			}
		};
	}

	async moveTill(branchId: string, tillCode: string): Promise<void> {
		if (!this.device) return;
		const next = { ...this.device, branchId, tillCode };
		await saveDeviceConfig(this.db, next);
		this.device = next;
	}

	/** Records a failed write caused by a full disk so the banner tells staff what to do. */
	reportStorageError(error: unknown): void {
		if (error instanceof DOMException && error.name === 'QuotaExceededError')
			this.storageWarning = 'quotaExceeded';
	}

	/**
	 * Asks the browser to keep our data under storage pressure. A refusal means the browser may evict the
	 * till's data: staff must install the app / use the kiosk profile (see README, kiosk set-up).
	 */
	async checkPersistence(): Promise<void> {
		if (!navigator.storage?.persist) {
			this.storageWarning = 'unavailable';
			return;
		}
		const persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
		if (!persisted && this.storageWarning === null) this.storageWarning = 'persistRefused';
	}
}
