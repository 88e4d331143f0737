/**
 * This till's enrolment with the relay: its key pair (non-extractable; IndexedDB keeps CryptoKeys by structured
 * clone, so the private key never leaves the device) and its current token. Kept in the meta table.
 */
import type { BranchlineDb } from './db';

export interface SyncAuth {
	relayUrl: string;
	token: string;
	refreshAfter: string;
	expiresAt: string;
	claims: { chain: string; branch: string; device: string; role: 'cashier' | 'manager' | 'owner' };
}

const authKey = 'syncAuth';
const keysKey = 'deviceKeys';

export async function loadSyncAuth(db: BranchlineDb): Promise<SyncAuth | undefined> {
	const value = (await db.meta.get(authKey))?.value as SyncAuth | undefined;
	return value && typeof value.token === 'string' && value.claims ? value : undefined;
}

export async function saveSyncAuth(db: BranchlineDb, auth: SyncAuth): Promise<void> {
	await db.meta.put({ key: authKey, value: auth });
}

export async function loadDeviceKeys(db: BranchlineDb): Promise<CryptoKeyPair | undefined> {
	return (await db.meta.get(keysKey))?.value as CryptoKeyPair | undefined;
}

export async function saveDeviceKeys(db: BranchlineDb, keys: CryptoKeyPair): Promise<void> {
	await db.meta.put({ key: keysKey, value: keys });
}
