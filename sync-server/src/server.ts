/**
 * The Branchline HTTP server: hosts the built PWA, the demo seed and a health check on one port.
 * The websocket relay joins on the same port through `addUpgradeHandler`, its enrolment API and
 * metrics through `addRequestHandler` (see relay/start.ts).
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { CompressionCache, negotiateEncoding, type Encoding } from './compress.js';
import type { Logger } from './log.js';
import {
	cacheControlFor,
	contentTypeFor,
	decodeRequestPath,
	isCompressible,
	NO_CACHE,
	resolveStatic
} from './static-paths.js';

/** Returns true when it has taken the socket; false lets the next handler (or the 404) have it. */
export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** Returns true when it has answered (or will answer) the request; false falls through to static files. */
export type RequestHandler = (
	req: http.IncomingMessage,
	res: http.ServerResponse,
	pathname: string
) => boolean | Promise<boolean>;

export interface ServerOptions {
	staticDir: string;
	dataDir: string;
	logger: Logger;
	compression?: CompressionCache;
}

export interface BranchlineServer {
	readonly http: http.Server;
	addUpgradeHandler(handler: UpgradeHandler): void;
	addRequestHandler(handler: RequestHandler): void;
	listen(port: number, host: string): Promise<AddressInfo>;
	close(): Promise<void>;
}

/** Where `npm run seed -- --scale demo` writes the demo chain, relative to the data directory. */
export const DEMO_SEED_FILE = path.join('seed', 'demo', 'chain.json');

const startedAt = process.hrtime.bigint();

export function healthReport(): { status: 'ok'; uptimeS: number; rssMb: number } {
	const uptimeS = Number((process.hrtime.bigint() - startedAt) / 1_000_000n) / 1000;
	return {
		status: 'ok',
		uptimeS: Math.round(uptimeS * 10) / 10,
		rssMb: Math.round((process.memoryUsage.rss() / 1024 / 1024) * 10) / 10
	};
}

function etagFor(stats: Stats, encoding: Encoding): string {
	const base = `${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}`;
	return encoding === 'identity' ? `W/"${base}"` : `W/"${base}-${encoding}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
	if (!header) return false;
	if (header.trim() === '*') return true;
	const bare = (tag: string) => tag.trim().replace(/^W\//, '');
	return header.split(',').some((tag) => bare(tag) === bare(etag));
}

/** Sets headers one by one so the request log can read them back with getHeader(). */
function writeHead(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders): void {
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) res.setHeader(name, value);
	}
	res.writeHead(status);
}

function sendText(
	res: http.ServerResponse,
	status: number,
	body: string,
	extra: http.OutgoingHttpHeaders = {}
) {
	const bytes = Buffer.from(body + '\n', 'utf8');
	writeHead(res, status, {
		'Content-Type': 'text/plain; charset=utf-8',
		'Content-Length': bytes.length,
		'Cache-Control': 'no-store',
		'X-Content-Type-Options': 'nosniff',
		...extra
	});
	res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown) {
	const bytes = Buffer.from(JSON.stringify(value) + '\n', 'utf8');
	writeHead(res, status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': bytes.length,
		'Cache-Control': 'no-store',
		'X-Content-Type-Options': 'nosniff'
	});
	res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

interface FileResponse {
	filePath: string;
	stats: Stats;
	contentType: string;
	cacheControl: string;
}

export function createServer(options: ServerOptions): BranchlineServer {
	const { staticDir, dataDir, logger } = options;
	const compression = options.compression ?? new CompressionCache();
	const upgradeHandlers: UpgradeHandler[] = [];
	const requestHandlers: RequestHandler[] = [];

	async function sendFile(req: http.IncomingMessage, res: http.ServerResponse, file: FileResponse) {
		const { filePath, stats, contentType } = file;
		const compressible = isCompressible(contentType);
		let encoding: Encoding = 'identity';
		if (compressible && compression.accepts(stats.size))
			encoding = negotiateEncoding(req.headers['accept-encoding']);
		const etag = etagFor(stats, encoding);
		const headers: http.OutgoingHttpHeaders = {
			'Content-Type': contentType,
			'Cache-Control': file.cacheControl,
			'Last-Modified': stats.mtime.toUTCString(),
			ETag: etag,
			'X-Content-Type-Options': 'nosniff'
		};
		if (compressible) headers['Vary'] = 'Accept-Encoding';

		if (etagMatches(req.headers['if-none-match'], etag)) {
			writeHead(res, 304, headers);
			res.end();
			return;
		}

		if (encoding !== 'identity') {
			const validator = `${stats.size}:${stats.mtimeMs}`;
			const body = await compression.get(filePath, validator, encoding);
			headers['Content-Encoding'] = encoding;
			headers['Content-Length'] = body.length;
			writeHead(res, 200, headers);
			res.end(req.method === 'HEAD' ? undefined : body);
			return;
		}

		headers['Content-Length'] = stats.size;
		writeHead(res, 200, headers);
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		const stream = createReadStream(filePath);
		stream.on('error', (err) => {
			logger.error('read failed', { path: filePath, err });
			res.destroy(err);
		});
		stream.pipe(res);
	}

	async function serveDemoSeed(req: http.IncomingMessage, res: http.ServerResponse) {
		const filePath = path.join(dataDir, DEMO_SEED_FILE);
		let stats: Stats;
		try {
			stats = await stat(filePath);
		} catch {
			sendJson(res, 404, {
				error: 'demo seed not found',
				hint: 'run `npm run seed -- --scale demo` (npm start does this for you)',
				path: filePath
			});
			return;
		}
		await sendFile(req, res, {
			filePath,
			stats,
			contentType: contentTypeFor(filePath),
			cacheControl: NO_CACHE
		});
	}

	async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse) {
		const resolution = await resolveStatic(staticDir, req.url);
		switch (resolution.kind) {
			case 'file': {
				await sendFile(req, res, {
					filePath: resolution.filePath,
					stats: resolution.stats,
					contentType: contentTypeFor(resolution.filePath),
					cacheControl: cacheControlFor(resolution.pathname)
				});
				return;
			}
			case 'refused':
				sendText(
					res,
					resolution.status,
					resolution.status === 404 ? 'Not found' : 'Refused: ' + resolution.reason
				);
				return;
			case 'not-built':
				sendText(
					res,
					503,
					`The PWA is not built (${resolution.filePath} is missing). Run \`npm run build\`.`
				);
				return;
			case 'not-found':
				sendText(res, 404, 'Not found');
				return;
		}
	}

	async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
		const decoded = decodeRequestPath(req.url);
		const pathname = decoded.ok ? decoded.pathname : '';
		for (const handler of requestHandlers) {
			if (await handler(req, res, pathname)) return;
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
			return;
		}
		if (pathname === '/healthz') return sendJson(res, 200, healthReport());
		if (pathname === '/demo/seed.json') return serveDemoSeed(req, res);
		return serveStatic(req, res);
	}

	const server = http.createServer((req, res) => {
		const started = process.hrtime.bigint();
		res.on('close', () => {
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			const length = res.getHeader('content-length');
			logger.info('request', {
				method: req.method,
				url: req.url,
				status: res.statusCode,
				bytes: typeof length === 'number' ? length : Number(length ?? 0),
				enc: res.getHeader('content-encoding') ?? 'identity',
				ms: Math.round(ms * 100) / 100,
				...(res.writableFinished ? {} : { aborted: true })
			});
		});
		handle(req, res).catch((err: unknown) => {
			logger.error('request failed', { method: req.method, url: req.url, err });
			if (!res.headersSent) sendText(res, 500, 'Internal server error');
			else res.destroy();
		});
	});

	server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
		for (const handler of upgradeHandlers) {
			try {
				if (handler(req, socket, head)) return;
			} catch (err) {
				logger.error('upgrade handler failed', { url: req.url, err });
				socket.destroy();
				return;
			}
		}
		// The path only: a query string may carry a device token.
		logger.info('upgrade refused', { path: (req.url ?? '').split('?', 1)[0], status: 404 });
		socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
	});

	server.on('clientError', (err, socket) => {
		logger.debug('client error', { err });
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});

	return {
		http: server,
		addUpgradeHandler(handler) {
			upgradeHandlers.push(handler);
		},
		addRequestHandler(handler) {
			requestHandlers.push(handler);
		},
		listen(port, host) {
			return new Promise((resolve, reject) => {
				const onError = (err: Error) => reject(err);
				server.once('error', onError);
				server.listen(port, host, () => {
					server.off('error', onError);
					resolve(server.address() as AddressInfo);
				});
			});
		},
		close() {
			return new Promise((resolve, reject) => {
				server.close((err) => (err ? reject(err) : resolve()));
				server.closeIdleConnections();
			});
		}
	};
}
