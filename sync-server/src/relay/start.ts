/**
 * Puts the relay on a BranchlineServer: opens the secret, the device registry and the document store under
 * DATA_DIR, registers the demo chain when the demo seed is there, and adds the upgrade and API handlers.
 *
 *   DATA_DIR/relay-secret   token signing secret (0600, created on first start)
 *   DATA_DIR/devices.json   chains, devices, pending enrolment codes (see auth/registry.ts)
 *   DATA_DIR/relay/         LevelDB with every document's updates
 *
 * With scale-out configured (DATABASE_URL + REDIS_URL), the secret, the registry and the documents live in
 * PostgreSQL instead (shared by every relay; DATA_DIR's files are imported on the first start) and the relays
 * exchange live updates and revocations through Redis.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createApiHandler } from '../api/routes.js';
import { DeviceService } from '../auth/devices.js';
import { DeviceRegistry, type Registry } from '../auth/registry.js';
import { loadOrCreateSecret, SECRET_FILE } from '../auth/secret.js';
import type { ScaleOutConfig } from '../config.js';
import type { Logger } from '../log.js';
import { openDatabase } from '../scale/postgres.js';
import { PostgresDocumentStore } from '../scale/postgres-store.js';
import { RedisBus } from '../scale/redis-bus.js';
import { openSharedAuth } from '../scale/shared-auth.js';
import type { RelayBus } from './bus.js';
import { DEMO_SEED_FILE, type BranchlineServer } from '../server.js';
import { LevelDocumentStore } from './persistence.js';
import { Relay, type RelayOptions } from './relay.js';
import type { DocumentStore } from './store.js';

export const STORE_DIR = 'relay';

export interface StartRelayOptions {
	server: BranchlineServer;
	dataDir: string;
	logger: Logger;
	relay?: Pick<RelayOptions, 'pingIntervalMs' | 'roomIdleMs' | 'maxPayloadBytes' | 'now'>;
	fsync?: boolean;
	scaleOut?: ScaleOutConfig;
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
	fsync,
	scaleOut
}: StartRelayOptions): Promise<RunningRelay> {
	const backend = scaleOut
		? await openScaleOut(scaleOut, dataDir, logger)
		: await openEmbedded(dataDir, logger, fsync);
	const { registry, store, bus } = backend;
	const devices = new DeviceService(registry, backend.key);

	const demoChain = await readDemoChainId(dataDir);
	if (demoChain && (await devices.ensureChain(demoChain, 'demo-seed'))) {
		logger.info('demo chain registered', {
			chain: demoChain,
			hint: `mint an owner token: npm run device:token -- --chain ${demoChain} --branch <branch id> --role owner`
		});
	}

	const relay = new Relay({ store, bus, devices, logger, ...tuning });
	server.addUpgradeHandler(relay.handleUpgrade);
	server.addRequestHandler(createApiHandler({ devices, relay, logger }));
	const state = await registry.read();
	logger.info('relay ready', {
		path: '/sync/<document>',
		chains: Object.keys(state.chains).length,
		devices: Object.keys(state.devices).length,
		store: store.kind,
		relayId: bus?.relayId
	});

	return {
		relay,
		devices,
		async close() {
			await relay.close();
			await backend.close();
		}
	};
}

interface Backend {
	key: Uint8Array;
	registry: Registry;
	store: DocumentStore;
	bus?: RelayBus;
	close(): Promise<void>;
}

async function openEmbedded(dataDir: string, logger: Logger, fsync: boolean | undefined): Promise<Backend> {
	const secret = await loadOrCreateSecret(dataDir);
	if (secret.created) logger.info('relay secret created', { file: path.join(dataDir, SECRET_FILE) });
	if (secret.exposed) {
		logger.warn('relay secret is readable by other users; run chmod 600 on it', {
			file: path.join(dataDir, SECRET_FILE)
		});
	}
	const registry = await DeviceRegistry.open(dataDir);
	const store = await LevelDocumentStore.open(path.join(dataDir, STORE_DIR), { fsync });
	return { key: secret.key, registry, store, close: () => store.close() };
}

async function openScaleOut(config: ScaleOutConfig, dataDir: string, logger: Logger): Promise<Backend> {
	const pool = await openDatabase(config.databaseUrl, logger);
	try {
		const auth = await openSharedAuth(pool, dataDir);
		if (auth.imported.secret || auth.imported.registry)
			logger.info('imported DATA_DIR into PostgreSQL', { dataDir, ...auth.imported });
		const bus = await RedisBus.open(config.redisUrl, logger);
		const store = new PostgresDocumentStore(pool);
		return {
			key: auth.key,
			registry: auth.registry,
			store,
			bus,
			async close() {
				await store.close();
				await bus.close();
				await pool.end();
			}
		};
	} catch (err) {
		await pool.end().catch(() => undefined);
		throw err;
	}
}
