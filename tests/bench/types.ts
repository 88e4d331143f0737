/**
 * Shapes shared by the bench runner (Node) and the in-page bundle (inject.ts). Only plain JSON crosses the
 * page boundary, so everything here is serialisable.
 */
import type { SaleDraft } from '../../src/lib/storage/sales';

/** The big tables the loader fills from the NDJSON files. */
export type BigTable = 'styles' | 'variants' | 'members' | 'stock' | 'ledger' | 'sales';

export interface PutResult {
	rows: number;
	/** Time the page spent on the chunk before handing it to Dexie: JSON.parse, the app's validation and mapping. */
	parseMs: number;
}

export interface DrainResult {
	/** Rows committed since the last drain. */
	rows: number;
}

/** A sale commit benchmark case: a complete draft (10 lines, 2 tenders) built on the Node side. */
export interface CommitCase {
	draft: SaleDraft;
	staffId: string;
}

export interface CommitSample {
	ms: number;
}

/** In-page timings of the floors: what the browser itself costs with no app code in between. */
export interface FloorSamples {
	strictPutMs: number[];
	rawGetMs: number[];
	rafMs: number[];
}

export interface LookupSamples {
	phoneMs: number[];
	last4Ms: number[];
	/** Rows found per last-four query (checks that the queries hit real members). */
	last4Rows: number[];
	phoneMisses: number;
}

/** The storage steps of one scan, timed alone (the UI adds pricing and rendering on top). */
export interface ScanSplits {
	findSkuMs: number[];
	onHandMs: number[];
	/** Strict put of the open cart row (up to 20 lines), as the till does after every change. */
	saveCartMs: number[];
}

/** What `window.__bench` offers once the bundle is on a page of the app's origin. */
export interface BenchApi {
	/** Validates the chain header with the app's parser and imports it through importDemoSeed. */
	seedHeader(header: unknown): Promise<void>;
	/** Names of the tables of the till's database (a table the schema lacks is not loaded). */
	tables(): Promise<string[]>;
	/**
	 * Converts one chunk of NDJSON the way the app's first-start import does (capture.ts) and queues its bulkPut;
	 * resolves once fewer than 2 chunks are in flight.
	 */
	put(table: BigTable, ndjson: string): Promise<PutResult>;
	/** Waits for every queued chunk; throws the first write error. */
	drain(): Promise<DrainResult>;
	counts(): Promise<Record<string, number>>;
	usageBytes(): Promise<number>;
	floors(phones: string[], n: number): Promise<FloorSamples>;
	lookups(phones: string[], last4s: string[]): Promise<LookupSamples>;
	/** Times commitSale per case; 'relaxed' is a diagnostic (same code, no fsync wait). */
	commits(
		cases: CommitCase[],
		branchCode: string,
		durability?: 'strict' | 'relaxed'
	): Promise<CommitSample[]>;
	scanSplits(barcodes: string[], branchId: string): Promise<ScanSplits>;
	close(): void;
}

declare global {
	interface Window {
		__bench?: BenchApi;
	}
}
