/**
 * Puts the relay on a BranchlineServer: opens the secret, the device registry and the document store under
 * DATA_DIR, registers the demo chain when the demo seed is there, and adds the upgrade and API handlers.
 *
 *   DATA_DIR/relay-secret   token signing secret (0600, created on first start)
 *   DATA_DIR/devices.json   chains, devices, pending enrolment codes (see auth/registry.ts)
 *   DATA_DIR/relay/         LevelDB with every document's updates
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createApiHandler } from '../api/routes.js';
import { DeviceService } from '../auth/devices.js';
import { DeviceRegistry } from '../auth/registry.js';
import { loadOrCreateSecret, SECRET_FILE } from '../auth/secret.js';
import type { Logger } from '../log.js';
import { DEMO_SEED_FILE, type BranchlineServer } from '../server.js';
import { LevelDocumentStore } from './persistence.js';
import { Relay, type RelayOptions } from './relay.js';

export const STORE_DIR = 'relay';

export interface StartRelayOptions {
	server: BranchlineServer;
	dataDir: string;
	logger: Logger;
	relay?: Pick<RelayOptions, 'pingIntervalMs' | 'roomIdleMs' | 'maxPayloadBytes' | 'now'>;
	fsync?: boolean;
}

export interface RunningRelay {
	relay: Relay;
	devices: DeviceService;
	close(): Promise<void>;
}

/** The demo chain's id from DATA_DIR/seed/demo/chain.json, when the demo seed exists. */
export async function readDemoChainId(dataDir: string): Promise<string | undefined> {
	let text: string;
	try {
		text = await readFile(path.join(dataDir, DEMO_SEED_FILE), 'utf8');
	} catch {
		return undefined;
	}
	try {
		const seed = JSON.parse(text) as { chain?: { id?: unknown } };
		return typeof seed.chain?.id === 'string' ? seed.chain.id : undefined;
	} catch {
		return undefined;
	}
}

export async function startRelay({
	server,
	dataDir,
	logger,
	relay: tuning,
	fsync
}: StartRelayOptions): Promise<RunningRelay> {
	const secret = await loadOrCreateSecret(dataDir);
	if (secret.created) logger.info('relay secret created', { file: path.join(dataDir, SECRET_FILE) });
	if (secret.exposed) {
		logger.warn('relay secret is readable by other users; run chmod 600 on it', {
			file: path.join(dataDir, SECRET_FILE)
		});
	}
	const registry = await DeviceRegistry.open(dataDir);
	const devices = new DeviceService(registry, secret.key);

	const demoChain = await readDemoChainId(dataDir);
	if (demoChain && (await devices.ensureChain(demoChain, 'demo-seed'))) {
		logger.info('demo chain registered', {
			chain: demoChain,
			hint: `mint an owner token: npm run device:token -- --chain ${demoChain} --branch <branch id> --role owner`
		});
	}

	const store = await LevelDocumentStore.open(path.join(dataDir, STORE_DIR), { fsync });
	const relay = new Relay({ store, devices, logger, ...tuning });
	server.addUpgradeHandler(relay.handleUpgrade);
	server.addRequestHandler(createApiHandler({ devices, relay, logger }));
	const state = await registry.read();
	logger.info('relay ready', {
		path: '/sync/<document>',
		chains: Object.keys(state.chains).length,
		devices: Object.keys(state.devices).length
	});

	return {
		relay,
		devices,
		async close() {
			await relay.close();
			await store.close();
		}
	};
}
