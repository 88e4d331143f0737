/**
 * The PostgreSQL pieces of scale-out against a real (throw-away) PostgreSQL: document rows and compaction under
 * concurrent writers, the shared registry under concurrent updates, and the first-start import of DATA_DIR.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { emptyState, REGISTRY_FILE } from '../../sync-server/src/auth/registry.js';
import { SECRET_FILE } from '../../sync-server/src/auth/secret.js';
import { openDatabase } from '../../sync-server/src/scale/postgres.js';
import { PostgresDocumentStore } from '../../sync-server/src/scale/postgres-store.js';
import { openSharedAuth, PostgresRegistry } from '../../sync-server/src/scale/shared-auth.js';
import { skipScaleTests, startPostgres, type Service } from './services.js';

const skip = skipScaleTests('tests/scale/postgres.spec.ts');

/** Updates a till would send: one per record. */
function updates(count: number, prefix: string): Uint8Array[] {
	const doc = new Y.Doc();
	const out: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => out.push(update));
	for (let i = 0; i < count; i++) doc.getMap('records').set(`${prefix}${i}`, { i });
	return out;
}

describe.skipIf(skip)('PostgreSQL store, registry and secret', () => {
	let postgres: Service | undefined;
	const pools: pg.Pool[] = [];
	const open = async () => {
		const pool = await openDatabase((postgres as Service).url);
		pools.push(pool);
		return pool;
	};

	beforeAll(async () => {
		postgres = await startPostgres();
	}, 30_000);
	afterAll(async () => {
		await Promise.allSettled(pools.map((pool) => pool.end()));
		await postgres?.stop();
	}, 30_000);

	it('creates the schema idempotently, even from relays starting together', async () => {
		await Promise.all([open(), open(), open()]);
	});

	it('keeps every update through compactions racing with appends from two relays', async () => {
		const [one, two] = [new PostgresDocumentStore(await open()), new PostgresDocumentStore(await open())];
		const name = 'c/branch/b1/202611';
		const fromOne = updates(60, 'one-');
		const fromTwo = updates(60, 'two-');
		const writes = [one, two].map(async (store, s) => {
			for (const [i, update] of (s === 0 ? fromOne : fromTwo).entries()) {
				await store.append(name, update);
				if (i % 15 === 14) await store.compact(name);
			}
		});
		await Promise.all([...writes, one.compact(name), two.compact(name)]);
		const loaded = (await two.load(name)).getMap('records');
		expect(loaded.size).toBe(120);
		await one.compact(name);
		expect((await one.load(name)).getMap('records').size).toBe(120);
		const { rows } = await (pools[0] as pg.Pool).query(
			'SELECT count(*)::int AS n FROM branchline_updates WHERE doc = $1',
			[name]
		);
		expect(rows[0]).toEqual({ n: 1 });
		expect(await one.documentNames()).toContain(name);
		expect((await one.load('c/never/written')).getMap('records').size).toBe(0);
	});

	it('serializes registry updates from several relays (no lost update)', async () => {
		await openSharedAuth(await open());
		const registries = [new PostgresRegistry(await open()), new PostgresRegistry(await open())];
		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				(registries[i % 2] as PostgresRegistry).update((state) => {
					state.chains[`chain-${i}`] = { createdAt: new Date(0).toISOString(), source: 'cli' };
				})
			)
		);
		expect(Object.keys((await (registries[0] as PostgresRegistry).read()).chains)).toHaveLength(20);
		await expect(
			(registries[1] as PostgresRegistry).update(() => {
				throw new Error('refused');
			})
		).rejects.toThrow('refused');
	});

	it('imports DATA_DIR’s secret and registry into an empty database, and only then', async () => {
		const pool = await open();
		await pool.query('DELETE FROM branchline_secret; DELETE FROM branchline_registry');
		const dataDir = mkdtempSync(path.join(tmpdir(), 'branchline-import-'));
		try {
			const key = Buffer.alloc(32, 7);
			writeFileSync(path.join(dataDir, SECRET_FILE), key.toString('base64url') + '\n');
			const state = emptyState();
			state.chains['chain-x'] = { createdAt: new Date(0).toISOString(), source: 'cli' };
			writeFileSync(path.join(dataDir, REGISTRY_FILE), JSON.stringify(state));
			const first = await openSharedAuth(pool, dataDir);
			expect(first.imported).toEqual({ secret: true, registry: true });
			expect(Buffer.from(first.key).equals(key)).toBe(true);
			expect(Object.keys((await first.registry.read()).chains)).toEqual(['chain-x']);

			writeFileSync(path.join(dataDir, SECRET_FILE), Buffer.alloc(32, 9).toString('base64url'));
			const again = await openSharedAuth(pool, dataDir);
			expect(again.imported).toEqual({ secret: false, registry: false });
			expect(Buffer.from(again.key).equals(key)).toBe(true);
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
