/**
 * This till's identity. The device id is made once on first start and never changes: it is part of every
 * id-bearing record's provenance and of sale numbers' uniqueness (branch + till code + date + sequence).
 */
import type { BranchlineDb } from './db';
import { newId } from './ids';

export interface DeviceConfig {
	deviceId: string;
	chainId: string;
	branchId: string;
	/** Short code printed in sale numbers, e.g. "T1". Unique within the branch. */
	tillCode: string;
}

const key = 'device';

function isDeviceConfig(value: unknown): value is DeviceConfig {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return ['deviceId', 'chainId', 'branchId', 'tillCode'].every((k) => typeof v[k] === 'string');
}

/** Reads the device config, creating it (first branch, till T1) on a fresh till. */
export async function loadDeviceConfig(db: BranchlineDb): Promise<DeviceConfig> {
	return db.transaction('rw', [db.meta, db.branches], async () => {
		const stored = (await db.meta.get(key))?.value;
		if (isDeviceConfig(stored)) return stored;
		const chainId = String((await db.meta.get('chainId'))?.value ?? 'demo');
		const firstBranch = (await db.branches.orderBy('code').first())?.id ?? '';
		const config: DeviceConfig = { deviceId: newId(), chainId, branchId: firstBranch, tillCode: 'T1' };
		await db.meta.put({ key, value: config });
		return config;
	});
}

export async function saveDeviceConfig(db: BranchlineDb, config: DeviceConfig): Promise<void> {
	if (!/^T\d{1,2}$/.test(config.tillCode)) throw new Error(`bad till code ${config.tillCode}`);
	await db.meta.put({ key, value: config });
}
