/**
 * The signing secret and the device registry in PostgreSQL, so every relay of a scaled-out chain accepts the
 * same tokens and sees an enrolment or a revocation made through any of them (each authentication reads the
 * registry, so a revoked device is refused everywhere at its next upgrade; its open sockets are closed through
 * the bus). On the first start against an empty database, DATA_DIR's relay-secret and devices.json are
 * imported when they exist, so a chain moving from one relay to several keeps its enrolled tills and tokens.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import {
	emptyState,
	parseState,
	REGISTRY_FILE,
	type DeviceRecord,
	type Registry,
	type RegistryState
} from '../auth/registry.js';
import { decodeSecret, SECRET_FILE } from '../auth/secret.js';
import { transaction } from './postgres.js';

const WHERE = 'PostgreSQL table branchline_registry';

async function readOptional(file: string): Promise<string | undefined> {
	try {
		return await readFile(file, 'utf8');
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw err;
	}
}

export class PostgresRegistry implements Registry {
	readonly #pool: pg.Pool;
	/** serializes this process's writers (the row lock serializes processes) */
	#writes: Promise<unknown> = Promise.resolve();

	constructor(pool: pg.Pool) {
		this.#pool = pool;
	}

	// No cache: a revocation made through another relay must count at the very next authentication.
	async read(): Promise<Readonly<RegistryState>> {
		const { rows } = await this.#pool.query<{ state: string }>(
			'SELECT state::text AS state FROM branchline_registry WHERE id = 1'
		);
		return rows[0] ? parseState(rows[0].state, WHERE) : emptyState();
	}

	async device(id: string): Promise<DeviceRecord | undefined> {
		const state = await this.read();
		return Object.hasOwn(state.devices, id) ? state.devices[id] : undefined;
	}

	update<T>(mutate: (state: RegistryState) => T): Promise<T> {
		const run = () =>
			transaction(this.#pool, async (client) => {
				// The row exists (openSharedAuth creates it); FOR UPDATE makes other relays wait their turn.
				const { rows } = await client.query<{ state: string }>(
					'SELECT state::text AS state FROM branchline_registry WHERE id = 1 FOR UPDATE'
				);
				const draft = rows[0] ? parseState(rows[0].state, WHERE) : emptyState();
				const result = mutate(draft);
				await client.query(
					`INSERT INTO branchline_registry (id, state) VALUES (1, $1::jsonb)
					 ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
					[JSON.stringify(draft)]
				);
				return result;
			});
		const next = this.#writes.then(run, run);
		this.#writes = next.catch(() => undefined);
		return next;
	}
}

export interface SharedAuth {
	key: Uint8Array;
	registry: PostgresRegistry;
	/** what this call imported from DATA_DIR into an empty database */
	imported: { secret: boolean; registry: boolean };
}

/** Creates the secret and registry rows when missing (importing DATA_DIR's files if any) and reads them. */
export async function openSharedAuth(pool: pg.Pool, dataDir?: string): Promise<SharedAuth> {
	const secretFile = dataDir ? path.join(dataDir, SECRET_FILE) : undefined;
	const registryFile = dataDir ? path.join(dataDir, REGISTRY_FILE) : undefined;
	const localSecret = secretFile ? await readOptional(secretFile) : undefined;
	const localRegistry = registryFile ? await readOptional(registryFile) : undefined;
	// Parsed before inserting: a damaged file stops the relay rather than being half imported.
	const secretText = localSecret
		? Buffer.from(decodeSecret(localSecret, secretFile as string)).toString('base64url')
		: randomBytes(32).toString('base64url');
	const registryState = localRegistry ? parseState(localRegistry, registryFile as string) : emptyState();

	// ON CONFLICT DO NOTHING: relays starting together agree on whichever row got in first.
	const secretInsert = await pool.query(
		'INSERT INTO branchline_secret (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING RETURNING id',
		[secretText]
	);
	const registryInsert = await pool.query(
		'INSERT INTO branchline_registry (id, state) VALUES (1, $1::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id',
		[JSON.stringify(registryState)]
	);
	const { rows } = await pool.query<{ key: string }>('SELECT key FROM branchline_secret WHERE id = 1');
	const stored = rows[0];
	if (!stored) throw new Error('branchline_secret has no row after inserting one');
	return {
		key: decodeSecret(stored.key, 'PostgreSQL table branchline_secret'),
		registry: new PostgresRegistry(pool),
		imported: {
			secret: (secretInsert.rowCount ?? 0) > 0 && localSecret !== undefined,
			registry: (registryInsert.rowCount ?? 0) > 0 && localRegistry !== undefined
		}
	};
}
