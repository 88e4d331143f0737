/** Chain settings the owner controls (rounding, negative stock, scanner behaviour, permission limits). */
import type { RoundingMode } from '$lib/domain/money';
import { defaultPermissions, type Permissions } from '$lib/domain/staff';
import type { BranchlineDb } from './db';

export interface ChainSettings {
	rounding: RoundingMode;
	promotionsStackWithLevelPrice: boolean;
	allowNegativeStock: boolean;
	/** What a second identical scan within the window does (scanner double-fire). */
	scanMergePolicy: 'increment' | 'ignoreDoubleFire';
	scanMergeWindowMs: number;
	idleLockMinutes: number;
	permissions: Permissions;
}

export const defaultSettings: ChainSettings = {
	rounding: 'jiao',
	promotionsStackWithLevelPrice: true,
	allowNegativeStock: true,
	scanMergePolicy: 'ignoreDoubleFire',
	scanMergeWindowMs: 400,
	idleLockMinutes: 5,
	permissions: defaultPermissions
};

const key = 'settings';

/** Stored settings over the defaults, so a setting added in a newer version gets its default. */
export async function loadSettings(db: BranchlineDb): Promise<ChainSettings> {
	const stored = (await db.meta.get(key))?.value;
	const partial = typeof stored === 'object' && stored !== null ? (stored as Partial<ChainSettings>) : {};
	return {
		...defaultSettings,
		...partial,
		permissions: { ...defaultSettings.permissions, ...(partial.permissions ?? {}) }
	};
}

export async function saveSettings(db: BranchlineDb, settings: ChainSettings): Promise<void> {
	await db.meta.put({ key, value: settings });
}
