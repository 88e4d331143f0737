/**
 * The PostgreSQL side of scale-out: one connection pool per relay process and the schema, created on start
 * (idempotent, under an advisory lock so relays starting together do not race on CREATE TABLE).
 *
 *   branchline_updates   one row per accepted Yjs update (compaction merges a document's rows into one)
 *   branchline_secret    the token signing secret, one row (replaces DATA_DIR/relay-secret)
 *   branchline_registry  the device registry as one JSON value (replaces DATA_DIR/devices.json)
 */
import pg from 'pg';
import type { Logger } from '../log.js';
import { PersistenceError } from '../relay/store.js';

/** Any number, as long as every relay uses the same one: serializes schema creation. */
const SCHEMA_LOCK = 0x6272_6c6e;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS branchline_updates (
	id bigserial PRIMARY KEY,
	doc text NOT NULL,
	data bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS branchline_updates_doc_id ON branchline_updates (doc, id);
CREATE TABLE IF NOT EXISTS branchline_secret (
	id smallint PRIMARY KEY CHECK (id = 1),
	key text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS branchline_registry (
	id smallint PRIMARY KEY CHECK (id = 1),
	state jsonb NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);`;

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(unparsable URL)';
	}
}

/** Runs `fn` in a transaction on one pooled client; rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		const result = await fn(client);
		await client.query('COMMIT');
		return result;
	} catch (err) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw err;
	} finally {
		client.release();
	}
}

/** Connects (failing clearly when PostgreSQL is unreachable) and creates the schema. */
export async function openDatabase(url: string, logger?: Logger): Promise<pg.Pool> {
	const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
	// An idle client losing its connection emits here; without a listener that would crash the relay.
	pool.on('error', (err) => logger?.warn('PostgreSQL connection lost', { err }));
	try {
		await transaction(pool, async (client) => {
			await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
			await client.query(SCHEMA);
		});
	} catch (err) {
		await pool.end().catch(() => undefined);
		throw new PersistenceError(
			`cannot use PostgreSQL at ${redactUrl(url)} (DATABASE_URL): ${(err as Error).message}`,
			{ cause: err }
		);
	}
	return pool;
}
