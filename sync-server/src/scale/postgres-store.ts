/**
 * Documents in PostgreSQL: every accepted update is one INSERT into branchline_updates, which resolves after
 * COMMIT (durable with the default synchronous_commit), so "acknowledged = persisted" holds as with LevelDB.
 * Any relay may append to any document at any time: rows never conflict. Compaction replaces the rows it read
 * with their merge in one transaction; rows appended meanwhile (by this or another relay) are left alone.
 */
import type pg from 'pg';
import * as Y from 'yjs';
import { PersistenceError, type DocumentStore } from '../relay/store.js';
import { transaction } from './postgres.js';

const asBuffer = (update: Uint8Array) => Buffer.from(update.buffer, update.byteOffset, update.byteLength);

function docFrom(rows: Array<{ data: Uint8Array }>): Y.Doc {
	const doc = new Y.Doc();
	if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows.map((row) => row.data)));
	return doc;
}

export class PostgresDocumentStore implements DocumentStore {
	readonly kind = 'postgres' as const;
	readonly #pool: pg.Pool;

	constructor(pool: pg.Pool) {
		this.#pool = pool;
	}

	async #query<R extends pg.QueryResultRow>(what: string, text: string, values: unknown[]): Promise<R[]> {
		try {
			return (await this.#pool.query<R>(text, values)).rows;
		} catch (err) {
			throw new PersistenceError(`cannot ${what}: ${(err as Error).message}`, { cause: err });
		}
	}

	async load(name: string): Promise<Y.Doc> {
		const rows = await this.#query<{ data: Buffer }>(
			`read document ${name}`,
			'SELECT data FROM branchline_updates WHERE doc = $1 ORDER BY id',
			[name]
		);
		return docFrom(rows);
	}

	async append(name: string, update: Uint8Array): Promise<void> {
		await this.#query(
			`store an update of ${name}`,
			'INSERT INTO branchline_updates (doc, data) VALUES ($1, $2)',
			[name, asBuffer(update)]
		);
	}

	async compact(name: string): Promise<void> {
		await transaction(this.#pool, async (client) => {
			// Two relays compacting one document would each merge the same rows; one at a time is enough.
			await client.query("SELECT pg_advisory_xact_lock(hashtext('branchline-compact:' || $1))", [name]);
			const { rows } = await client.query<{ id: string; data: Buffer }>(
				'SELECT id, data FROM branchline_updates WHERE doc = $1 ORDER BY id',
				[name]
			);
			if (rows.length < 2) return;
			// Through a doc rather than mergeUpdates alone: encodeStateAsUpdate drops deleted content (GC).
			const doc = docFrom(rows);
			const merged = Y.encodeStateAsUpdate(doc);
			doc.destroy();
			await client.query('DELETE FROM branchline_updates WHERE doc = $1 AND id = ANY($2::bigint[])', [
				name,
				rows.map((row) => row.id)
			]);
			await client.query('INSERT INTO branchline_updates (doc, data) VALUES ($1, $2)', [
				name,
				asBuffer(merged)
			]);
		});
	}

	async documentNames(): Promise<string[]> {
		const rows = await this.#query<{ doc: string }>(
			'list documents',
			'SELECT DISTINCT doc FROM branchline_updates ORDER BY doc',
			[]
		);
		return rows.map((row) => row.doc);
	}

	/** The pool belongs to the caller (the secret and registry use it too); nothing to release here. */
	async close(): Promise<void> {}
}
