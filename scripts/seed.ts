/**
 * Writes a deterministic demo chain to disk.
 *
 *   npm run seed -- --scale demo|chain-M|chain-L [--seed S] [--out DIR] [--force]
 *
 * demo: one compact chain.json (the whole DemoChain) that the app imports on first run.
 * Default DIR: $DATA_DIR/seed/<scale>/, else data/seed/<scale>/ in the project.
 * chain-M / chain-L: chain.json with the small records and a `files` map, plus styles, variants, members, stock,
 * sales and ledger as NDJSON, streamed with backpressure. Both write manifest.json (per-file sha256 and a content
 * hash); a run is skipped when the manifest matches seed, scale and generator version and the files are there.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
	DEFAULT_DEMO_SEED,
	DEMO_GENERATOR_VERSION,
	demoChainStreams,
	generateDemoChain,
	isDemoScale,
	type DemoChainIndex,
	type DemoFileKind,
	type DemoScale,
	type DemoSeedManifest
} from '../src/lib/demo/generator';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHUNK = 1 << 16;

export interface SeedOptions {
	scale: DemoScale;
	seed: string;
	out: string;
	force: boolean;
}

export interface FileReport {
	name: string;
	records: number;
	bytes: number;
	sha256: string;
}

export interface SeedResult {
	skipped: boolean;
	out: string;
	manifest: DemoSeedManifest;
	files: FileReport[];
	ms: number;
}

const defaultDataDir = (): string => resolve(process.env.DATA_DIR || join(ROOT, 'data'));

const USAGE = 'usage: npm run seed -- --scale demo|chain-M|chain-L [--seed S] [--out DIR] [--force]';

/** Default output: <DATA_DIR or ./data>/seed/<scale>/ (DATA_DIR is what `npm start` serves from). */
export function parseSeedArgs(argv: readonly string[], dataDir = defaultDataDir()): SeedOptions {
	const { values } = parseArgs({
		args: [...argv],
		options: {
			scale: { type: 'string', default: 'demo' },
			seed: { type: 'string', default: DEFAULT_DEMO_SEED },
			out: { type: 'string' },
			force: { type: 'boolean', default: false }
		},
		strict: true,
		allowPositionals: false
	});
	const scale = values.scale ?? 'demo';
	if (!isDemoScale(scale)) throw new Error(`unknown scale "${scale}"\n${USAGE}`);
	const seed = values.seed ?? DEFAULT_DEMO_SEED;
	if (seed.length === 0) throw new Error(`--seed must not be empty\n${USAGE}`);
	const out = resolve(values.out ?? join(dataDir, 'seed', scale));
	return { scale, seed, out, force: values.force ?? false };
}

/** One output file: buffers lines into 64 KB chunks, hashes what it writes, waits on 'drain'. */
class FileSink {
	private buffer = '';
	private bytes = 0;
	private count = 0;
	private readonly hash: Hash = createHash('sha256');
	private readonly stream: WriteStream;

	constructor(
		readonly name: string,
		private readonly path: string
	) {
		this.stream = createWriteStream(`${path}.partial`);
	}

	/** Appends one NDJSON record; returns a promise only when the caller must wait for the disk. */
	line(record: unknown): Promise<void> | undefined {
		this.buffer += JSON.stringify(record) + '\n';
		this.count++;
		return this.buffer.length >= CHUNK ? this.flush() : undefined;
	}

	raw(text: string, records: number): Promise<void> | undefined {
		this.buffer += text;
		this.count += records;
		return this.buffer.length >= CHUNK ? this.flush() : undefined;
	}

	private async flush(): Promise<void> {
		if (this.buffer.length === 0) return;
		const chunk = Buffer.from(this.buffer, 'utf8');
		this.buffer = '';
		this.hash.update(chunk);
		this.bytes += chunk.length;
		if (!this.stream.write(chunk)) await once(this.stream, 'drain');
	}

	async close(): Promise<FileReport> {
		await this.flush();
		this.stream.end();
		await finished(this.stream);
		await rename(`${this.path}.partial`, this.path);
		return { name: this.name, records: this.count, bytes: this.bytes, sha256: this.hash.digest('hex') };
	}
}

async function readManifest(out: string): Promise<DemoSeedManifest | undefined> {
	try {
		return JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as DemoSeedManifest;
	} catch {
		return undefined;
	}
}

/** True when manifest.json says this exact seed/scale/version was written and every file has its size. */
async function upToDate(options: SeedOptions, manifest: DemoSeedManifest | undefined): Promise<boolean> {
	if (
		!manifest ||
		manifest.generatorVersion !== DEMO_GENERATOR_VERSION ||
		manifest.seed !== options.seed ||
		manifest.scale !== options.scale ||
		typeof manifest.files !== 'object'
	) {
		return false;
	}
	for (const [name, file] of Object.entries(manifest.files)) {
		const info = await stat(join(options.out, name)).catch(() => undefined);
		if (!info || info.size !== file.bytes) return false;
	}
	return true;
}

function contentHash(files: readonly FileReport[]): string {
	const hash = createHash('sha256');
	for (const f of files) hash.update(`${f.name}\0${f.sha256}\n`);
	return hash.digest('hex');
}

async function writeDemo(options: SeedOptions): Promise<FileReport[]> {
	const sink = new FileSink('chain.json', join(options.out, 'chain.json'));
	await sink.raw(JSON.stringify(generateDemoChain({ seed: options.seed, scale: options.scale })), 1);
	return [await sink.close()];
}

const FILES: Record<DemoFileKind, string> = {
	styles: 'styles.ndjson',
	variants: 'variants.ndjson',
	members: 'members.ndjson',
	stock: 'stock.ndjson',
	sales: 'sales.ndjson',
	ledger: 'ledger.ndjson'
};

async function writeStreams(options: SeedOptions, log: (line: string) => void): Promise<FileReport[]> {
	const streams = demoChainStreams({ seed: options.seed, scale: options.scale });
	const sink = (kind: DemoFileKind) => new FileSink(FILES[kind], join(options.out, FILES[kind]));
	const reports: FileReport[] = [];
	const started = performance.now();
	const done = (report: FileReport) => {
		reports.push(report);
		const s = ((performance.now() - started) / 1000).toFixed(1);
		log(
			`  ${report.name.padEnd(16)} ${String(report.records).padStart(9)} records ${mb(report.bytes)}  (${s} s)`
		);
	};

	const index: DemoChainIndex = { ...streams.header, files: FILES };
	const chainSink = new FileSink('chain.json', join(options.out, 'chain.json'));
	await chainSink.raw(JSON.stringify(index), 1);
	done(await chainSink.close());

	const styles = sink('styles');
	const variants = sink('variants');
	for (const { style, variants: skus } of streams.catalog()) {
		await styles.line(style);
		for (const v of skus) await variants.line(v);
	}
	done(await styles.close());
	done(await variants.close());

	for (const [kind, records] of [
		['members', streams.members()],
		['stock', streams.stock()]
	] as const) {
		const file = sink(kind);
		for (const record of records) {
			const wait = file.line(record);
			if (wait) await wait;
		}
		done(await file.close());
	}

	const sales = sink('sales');
	const ledger = sink('ledger');
	for (const record of streams.history()) {
		const wait = record.type === 'sale' ? sales.line(record.sale) : ledger.line(record.entry);
		if (wait) await wait;
	}
	done(await sales.close());
	done(await ledger.close());
	return reports;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).padStart(7)} MB`;

export async function runSeed(
	options: SeedOptions,
	log: (line: string) => void = console.log
): Promise<SeedResult> {
	const started = performance.now();
	const existing = await readManifest(options.out);
	if (!options.force && existing && (await upToDate(options, existing))) {
		const files = Object.entries(existing.files).map(([name, f]) => ({ name, ...f }));
		log(`${options.out} is up to date (${options.scale}, seed "${options.seed}"); --force to regenerate`);
		return { skipped: true, out: options.out, manifest: existing, files, ms: performance.now() - started };
	}
	await mkdir(options.out, { recursive: true });
	// No manifest while writing: an interrupted run is never mistaken for a complete one.
	await rm(join(options.out, 'manifest.json'), { force: true });
	log(`seeding ${options.scale} (seed "${options.seed}") into ${options.out}`);
	const files = options.scale === 'demo' ? await writeDemo(options) : await writeStreams(options, log);
	const manifest: DemoSeedManifest = {
		generatorVersion: DEMO_GENERATOR_VERSION,
		seed: options.seed,
		scale: options.scale,
		files: Object.fromEntries(
			files.map((f) => [f.name, { records: f.records, bytes: f.bytes, sha256: f.sha256 }])
		),
		contentHash: contentHash(files)
	};
	await writeFile(join(options.out, 'manifest.json'), JSON.stringify(manifest, null, '\t') + '\n');
	const ms = performance.now() - started;
	const records = files.reduce((s, f) => s + f.records, 0);
	const bytes = files.reduce((s, f) => s + f.bytes, 0);
	for (const f of options.scale === 'demo' ? files : []) log(`  ${f.name} ${mb(f.bytes)}`);
	log(
		`done: ${records} records, ${mb(bytes).trim()} in ${(ms / 1000).toFixed(1)} s; content ${manifest.contentHash.slice(0, 12)}`
	);
	return { skipped: false, out: options.out, manifest, files, ms };
}

async function main(): Promise<void> {
	try {
		await runSeed(parseSeedArgs(process.argv.slice(2)));
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		process.exitCode = 1;
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
