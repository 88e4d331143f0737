/**
 * Small JSON-over-HTTP helpers for the relay's API: bounded body reading, JSON answers, CORS (a till may load
 * the PWA from its own machine and talk to the chain's relay on another origin; auth is a bearer token, never
 * a cookie, so any origin may call), and a failure limiter against guessing enrolment codes.
 */
import type http from 'node:http';

export class HttpError extends Error {
	override name = 'HttpError';
	constructor(
		readonly status: number,
		message: string,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
	}
}

const MAX_BODY_BYTES = 16 * 1024;

export const CORS_HEADERS = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
	'Access-Control-Allow-Headers': 'Authorization, Content-Type',
	'Access-Control-Max-Age': '600'
};

export function sendJson(
	res: http.ServerResponse,
	status: number,
	value: unknown,
	headers: Record<string, string> = {}
): void {
	const bytes = Buffer.from(JSON.stringify(value) + '\n', 'utf8');
	const all: Record<string, string | number> = {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': bytes.length,
		'Cache-Control': 'no-store',
		'X-Content-Type-Options': 'nosniff',
		...CORS_HEADERS,
		...headers
	};
	// One by one, so the request log can read them back (see server.ts).
	for (const [name, value] of Object.entries(all)) res.setHeader(name, value);
	res.writeHead(status);
	res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

export function sendError(res: http.ServerResponse, err: HttpError): void {
	sendJson(res, err.status, { error: { status: err.status, message: err.message } }, err.headers);
}

/** Reads a JSON object body (application/json, at most 16 KB). */
export async function readJsonObject(req: http.IncomingMessage): Promise<Record<string, unknown>> {
	const type = req.headers['content-type'] ?? '';
	if (!/^application\/json\s*(;|$)/i.test(type))
		throw new HttpError(415, 'send the body as application/json');
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
		chunks.push(chunk);
	}
	let value: unknown;
	try {
		value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new HttpError(400, 'request body is not valid JSON');
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new HttpError(400, 'request body must be a JSON object');
	}
	return value as Record<string, unknown>;
}

export function bearerToken(req: http.IncomingMessage): string | undefined {
	const header = req.headers.authorization;
	return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * Counts failures per client address in a sliding window. An 8-digit code has 10^8 values; at 20 failures per
 * 10 minutes per address, and 200 overall, guessing a live code takes years.
 */
export class FailureLimiter {
	readonly #windowMs: number;
	readonly #perKey: number;
	readonly #overall: number;
	#failures: Array<{ key: string; at: number }> = [];

	constructor({ windowMs = 10 * 60_000, perKey = 20, overall = 200 } = {}) {
		this.#windowMs = windowMs;
		this.#perKey = perKey;
		this.#overall = overall;
	}

	#prune(now: number): void {
		const cutoff = now - this.#windowMs;
		let drop = 0;
		while (drop < this.#failures.length && (this.#failures[drop]?.at ?? now) < cutoff) drop++;
		if (drop > 0) this.#failures = this.#failures.slice(drop);
	}

	/** Throws 429 when `key` (or everyone together) failed too often recently. */
	check(key: string, now = Date.now()): void {
		this.#prune(now);
		const mine = this.#failures.filter((f) => f.key === key).length;
		if (mine >= this.#perKey || this.#failures.length >= this.#overall) {
			throw new HttpError(429, 'too many failed attempts; wait a few minutes', { 'Retry-After': '600' });
		}
	}

	fail(key: string, now = Date.now()): void {
		this.#failures.push({ key, at: now });
	}
}
