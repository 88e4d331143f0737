/**
 * Loads a seeded chain (data/seed/<scale>/: chain.json + NDJSON files) into the till's IndexedDB through the
 * bench bundle on the loader page: the header through the app's importDemoSeed, then each big table in chunks
 * of ~10k rows (Dexie bulkPut, two chunks in flight so Node reads the next one while the page writes).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from '@playwright/test';
import type { DemoChainIndex, PastSale } from '../../src/lib/demo/types';
import { emptyModel, remember, toStoredSale, type ChainModel } from './chain';
import type { BigTable } from './types';

export const LOADER_PATH = '/__bench/loader.html';
export const CHUNK_ROWS = 10_000;
const ORDER: BigTable[] = ['styles', 'variants', 'members', 'stock', 'ledger', 'sales'];

export interface TableImport {
	table: BigTable;
	rows: number;
	ms: number;
	rowsPerSec: number;
	/** Page time spent on JSON.parse, the app's validation and mapping (the rest is IndexedDB and waiting). */
	parseMs: number;
	/** Node time reading (and for sales, converting) the file. */
	readMs: number;
	/** Node time waiting for the page (JSON.parse + IndexedDB writes not overlapped with reading). */
	waitMs: number;
}

export async function readHeader(dir: string): Promise<DemoChainIndex> {
	return JSON.parse(await readFile(path.join(dir, 'chain.json'), 'utf8')) as DemoChainIndex;
}

async function* chunks(file: string, rows: number): AsyncGenerator<string[]> {
	const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
	let batch: string[] = [];
	for await (const line of lines) {
		if (!line) continue;
		batch.push(line);
		if (batch.length >= rows) {
			yield batch;
			batch = [];
		}
	}
	if (batch.length) yield batch;
}

/** Serves the bench loader page on the app's origin (same IndexedDB), without touching the app's routes. */
export async function routeLoaderPage(page: Page, baseURL: string): Promise<void> {
	const html = await readFile(path.join(import.meta.dirname, 'loader.html'), 'utf8');
	await page.route(`${baseURL}${LOADER_PATH}`, (route) =>
		route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
	);
}

export interface LoadOptions {
	/** false: only read the catalog and members into the model (the database already has them). */
	send: boolean;
	log: (line: string) => void;
}

/** Reads every table file; sends it to the page when asked. Returns the model and per-table import figures. */
export async function loadChain(
	page: Page,
	dir: string,
	header: DemoChainIndex,
	options: LoadOptions
): Promise<{ model: ChainModel; imports: TableImport[] }> {
	const model = emptyModel(header);
	const imports: TableImport[] = [];
	if (options.send) await page.evaluate((h) => window.__bench?.seedHeader(h), header as unknown);
	const tables = (await page.evaluate(() => window.__bench?.tables())) ?? [];
	for (const table of ORDER) {
		const needed = table === 'styles' || table === 'variants' || table === 'members';
		if (!options.send && !needed) continue;
		if (!tables.includes(table) || !header.files[table]) {
			options.log(`  ${table.padEnd(9)} skipped: the till's database has no ${table} table`);
			continue;
		}
		const file = path.join(dir, header.files[table]);
		const started = performance.now();
		let rows = 0;
		let parseMs = 0;
		let readMs = 0;
		let waitMs = 0;
		let lastLog = started;
		let readStarted = performance.now();
		for await (const batch of chunks(file, CHUNK_ROWS)) {
			let text: string;
			if (table === 'sales') {
				text = batch.map((l) => JSON.stringify(toStoredSale(model, JSON.parse(l) as PastSale))).join('\n');
			} else {
				if (needed) for (const l of batch) remember(model, table, JSON.parse(l));
				text = batch.join('\n');
			}
			readMs += performance.now() - readStarted;
			if (options.send) {
				const t0 = performance.now();
				const put = await page.evaluate(([t, body]) => window.__bench?.put(t, body), [table, text] as const);
				waitMs += performance.now() - t0;
				parseMs += put?.parseMs ?? 0;
			}
			rows += batch.length;
			readStarted = performance.now();
			if (options.send && readStarted - lastLog > 15_000) {
				lastLog = readStarted;
				const s = (readStarted - started) / 1000;
				options.log(`    ${table}: ${rows} rows in ${s.toFixed(0)} s (${Math.round(rows / s)} rows/s)`);
			}
		}
		if (options.send) {
			const t0 = performance.now();
			const drained = await page.evaluate(() => window.__bench?.drain());
			waitMs += performance.now() - t0;
			if (drained?.rows !== rows) throw new Error(`${table}: sent ${rows} rows, committed ${drained?.rows}`);
		}
		const ms = performance.now() - started;
		imports.push({ table, rows, ms, rowsPerSec: rows / (ms / 1000), parseMs, readMs, waitMs });
		const sec = (x: number) => `${(x / 1000).toFixed(1)} s`;
		if (options.send)
			options.log(
				`  ${table.padEnd(9)} ${String(rows).padStart(9)} rows  ${sec(ms).padStart(8)}  ${Math.round(rows / (ms / 1000))} rows/s` +
					`  (Node read ${sec(readMs)}, waiting on the page ${sec(waitMs)}, page prep ${sec(parseMs)})`
			);
	}
	return { model, imports };
}
