/**
 * Content negotiation and an in-memory cache of compressed bytes. Build output is immutable per
 * (path, size, mtime), so each file is compressed once per encoding and served from memory after.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * Picks the best encoding the client accepts (RFC 9110 Accept-Encoding with q-values).
 * Brotli beats gzip on equal weight; `identity` is the fallback.
 */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined): Encoding {
	const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
	if (!header.trim()) return 'identity';
	const weights = new Map<string, number>();
	for (const part of header.split(',')) {
		const [rawName, ...params] = part.trim().split(';');
		const name = rawName?.trim().toLowerCase();
		if (!name) continue;
		let q = 1;
		for (const param of params) {
			const [key, value] = param.trim().split('=');
			if (key?.trim().toLowerCase() === 'q' && value !== undefined) {
				const parsed = Number.parseFloat(value);
				q = Number.isFinite(parsed) ? parsed : 0;
			}
		}
		weights.set(name, q);
	}
	const star = weights.get('*');
	const weightOf = (name: string): number => weights.get(name) ?? star ?? 0;
	const br = weightOf('br');
	const gzip = weightOf('gzip');
	if (br > 0 && br >= gzip) return 'br';
	if (gzip > 0) return 'gzip';
	return 'identity';
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export async function compressBytes(bytes: Buffer, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
	if (encoding === 'br') {
		return brotli(bytes, {
			params: {
				[zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
				[zlib.constants.BROTLI_PARAM_QUALITY]: 11,
				[zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length
			}
		});
	}
	return gzip(bytes, { level: 9 });
}

interface Entry {
	validator: string;
	bytes: Promise<Buffer>;
	size: number;
}

export interface CompressionCacheOptions {
	/** Total compressed bytes kept in memory; oldest entries are evicted first. */
	maxTotalBytes?: number;
	/** Files larger than this are sent uncompressed (streamed) instead of read into memory. */
	maxFileBytes?: number;
	/** Files smaller than this are not worth compressing. */
	minFileBytes?: number;
}

export class CompressionCache {
	readonly maxTotalBytes: number;
	readonly maxFileBytes: number;
	readonly minFileBytes: number;
	#entries = new Map<string, Entry>();
	#total = 0;

	constructor(options: CompressionCacheOptions = {}) {
		this.maxTotalBytes = options.maxTotalBytes ?? 64 * 1024 * 1024;
		this.maxFileBytes = options.maxFileBytes ?? 16 * 1024 * 1024;
		this.minFileBytes = options.minFileBytes ?? 512;
	}

	/** Whether a file of this size should be compressed at all. */
	accepts(size: number): boolean {
		return size >= this.minFileBytes && size <= this.maxFileBytes;
	}

	get totalBytes(): number {
		return this.#total;
	}

	/**
	 * Compressed bytes of `filePath` for `encoding`; `validator` (size + mtime) invalidates a stale
	 * entry after a rebuild. Concurrent requests share one compression.
	 */
	get(filePath: string, validator: string, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
		const key = `${encoding}:${filePath}`;
		const hit = this.#entries.get(key);
		if (hit && hit.validator === validator) {
			// Refresh recency.
			this.#entries.delete(key);
			this.#entries.set(key, hit);
			return hit.bytes;
		}
		if (hit) this.#drop(key, hit);

		const entry: Entry = {
			validator,
			size: 0,
			bytes: readFile(filePath).then((raw) => compressBytes(raw, encoding))
		};
		this.#entries.set(key, entry);
		entry.bytes.then(
			(bytes) => {
				if (this.#entries.get(key) !== entry) return;
				entry.size = bytes.length;
				this.#total += bytes.length;
				this.#evict();
			},
			() => {
				// Do not cache failures (e.g. the file vanished mid-rebuild).
				if (this.#entries.get(key) === entry) this.#entries.delete(key);
			}
		);
		return entry.bytes;
	}

	#drop(key: string, entry: Entry): void {
		this.#entries.delete(key);
		this.#total -= entry.size;
	}

	#evict(): void {
		for (const [key, entry] of this.#entries) {
			if (this.#total <= this.maxTotalBytes) break;
			if (entry.size === 0) continue; // still compressing
			this.#drop(key, entry);
		}
	}
}
