import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionCache, negotiateEncoding } from './compress.js';
import { ConfigError, DEFAULT_STATIC_DIR, parseConfig } from './config.js';
import { createLogger } from './log.js';
import { createServer, type BranchlineServer } from './server.js';

interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

function request(
	port: number,
	rawPath: string,
	init: { method?: string; headers?: Record<string, string> } = {}
) {
	return new Promise<Reply>((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port, path: rawPath, method: init.method ?? 'GET', headers: init.headers },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
				);
			}
		);
		req.on('error', reject);
		req.end();
	});
}

describe('http server', () => {
	let base: string;
	let server: BranchlineServer;
	let port: number;
	const logLines: string[] = [];
	const bigJs = 'export const x = ' + JSON.stringify('收银'.repeat(4000)) + ';\n';

	beforeAll(async () => {
		base = mkdtempSync(path.join(tmpdir(), 'branchline-server-'));
		const build = path.join(base, 'build');
		const data = path.join(base, 'data');
		mkdirSync(path.join(build, '_app', 'immutable', 'chunks'), { recursive: true });
		mkdirSync(path.join(data, 'seed', 'demo'), { recursive: true });
		writeFileSync(path.join(build, '200.html'), '<!doctype html><title>Branchline</title>');
		writeFileSync(path.join(build, 'service-worker.js'), 'self.x = 1;');
		writeFileSync(path.join(build, 'manifest.webmanifest'), '{"name":"Branchline"}');
		writeFileSync(path.join(build, '_app', 'immutable', 'chunks', 'big.js'), bigJs);
		writeFileSync(path.join(data, 'seed', 'demo', 'chain.json'), JSON.stringify({ chain: 'demo' }));
		writeFileSync(path.join(base, 'secret.txt'), 'secret');
		const logger = createLogger({ level: 'info', write: (line) => logLines.push(line) });
		server = createServer({ staticDir: build, dataDir: data, logger, compression: new CompressionCache() });
		port = (await server.listen(0, '127.0.0.1')).port;
	});

	afterAll(async () => {
		await server.close();
		rmSync(base, { recursive: true, force: true });
	});

	it('serves the SPA shell for / and deep links, with no-cache', async () => {
		for (const p of ['/', '/sale', '/members/42/points?x=1']) {
			const r = await request(port, p);
			expect(r.status).toBe(200);
			expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
			expect(r.headers['cache-control']).toBe('no-cache');
			expect(r.body.toString()).toContain('<title>Branchline</title>');
		}
	});

	it('answers 404, not HTML, for missing assets', async () => {
		const r = await request(port, '/_app/immutable/chunks/gone.js');
		expect(r.status).toBe(404);
		expect(r.headers['content-type']).toMatch(/^text\/plain/);
	});

	it('refuses traversal', async () => {
		for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/_app/..%2f..%2fsecret.txt']) {
			const r = await request(port, p);
			expect(r.status).toBe(403);
			expect(r.body.toString()).not.toContain('secret\n');
		}
	});

	it('sets cache headers by path', async () => {
		expect((await request(port, '/service-worker.js')).headers['cache-control']).toBe('no-cache');
		const manifest = await request(port, '/manifest.webmanifest');
		expect(manifest.headers['cache-control']).toBe('no-cache');
		expect(manifest.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
		const chunk = await request(port, '/_app/immutable/chunks/big.js');
		expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		expect(chunk.headers['content-type']).toBe('text/javascript; charset=utf-8');
	});

	it('compresses with brotli or gzip and keeps the bytes identical', async () => {
		const url = '/_app/immutable/chunks/big.js';
		const br = await request(port, url, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
		expect(br.headers['content-encoding']).toBe('br');
		expect(br.headers['vary']).toBe('Accept-Encoding');
		expect(brotliDecompressSync(br.body).toString()).toBe(bigJs);
		expect(br.body.length).toBeLessThan(Buffer.byteLength(bigJs));

		const gz = await request(port, url, { headers: { 'Accept-Encoding': 'gzip' } });
		expect(gz.headers['content-encoding']).toBe('gzip');
		expect(gunzipSync(gz.body).toString()).toBe(bigJs);

		const plain = await request(port, url);
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(plain.body.toString()).toBe(bigJs);
	});

	it('supports HEAD with the same headers and no body', async () => {
		const get = await request(port, '/sale', { headers: { 'Accept-Encoding': 'gzip' } });
		const head = await request(port, '/sale', { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } });
		expect(head.status).toBe(200);
		expect(head.body.length).toBe(0);
		expect(head.headers['content-length']).toBe(get.headers['content-length']);
		expect(head.headers['etag']).toBe(get.headers['etag']);
	});

	it('answers 304 for a matching ETag', async () => {
		const first = await request(port, '/manifest.webmanifest');
		const again = await request(port, '/manifest.webmanifest', {
			headers: { 'If-None-Match': first.headers['etag'] as string }
		});
		expect(again.status).toBe(304);
		expect(again.body.length).toBe(0);
	});

	it('refuses other methods', async () => {
		const r = await request(port, '/', { method: 'POST' });
		expect(r.status).toBe(405);
		expect(r.headers['allow']).toBe('GET, HEAD');
	});

	it('reports health', async () => {
		const r = await request(port, '/healthz');
		expect(r.status).toBe(200);
		const body = JSON.parse(r.body.toString()) as Record<string, unknown>;
		expect(body.status).toBe('ok');
		expect(typeof body.uptimeS).toBe('number');
		expect(body.rssMb as number).toBeGreaterThan(0);
	});

	it('serves the demo seed from the data directory', async () => {
		const r = await request(port, '/demo/seed.json');
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(JSON.parse(r.body.toString())).toEqual({ chain: 'demo' });
	});

	it('logs one JSON line per request', async () => {
		logLines.length = 0;
		await request(port, '/healthz?probe=log');
		await new Promise((r) => setTimeout(r, 20));
		const mine = logLines.filter((line) => line.includes('probe=log'));
		expect(mine).toHaveLength(1);
		const record = JSON.parse(mine[0] as string) as Record<string, unknown>;
		expect(record).toMatchObject({
			level: 'info',
			msg: 'request',
			method: 'GET',
			status: 200,
			enc: 'identity'
		});
		expect(record.bytes as number).toBeGreaterThan(0);
		expect(typeof record.ms).toBe('number');
	});

	it('hands upgrades to a registered handler and refuses the rest', async () => {
		server.addUpgradeHandler((req, socket) => {
			if (req.url !== '/relay') return false;
			socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
			return true;
		});
		const raw = (p: string) =>
			new Promise<string>((resolve, reject) => {
				const socket = net.connect(port, '127.0.0.1', () => {
					socket.write(`GET ${p} HTTP/1.1\r\nHost: x\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n`);
				});
				let text = '';
				socket.on('data', (d: Buffer) => (text += d.toString()));
				socket.on('end', () => resolve(text));
				socket.on('error', reject);
			});
		expect(await raw('/relay')).toMatch(/^HTTP\/1\.1 101/);
		expect(await raw('/elsewhere')).toMatch(/^HTTP\/1\.1 404/);
	});
});

describe('demo seed missing', () => {
	it('answers 404 with a hint', async () => {
		const base = mkdtempSync(path.join(tmpdir(), 'branchline-noseed-'));
		const server = createServer({
			staticDir: base,
			dataDir: base,
			logger: createLogger({ level: 'silent' })
		});
		const { port } = await server.listen(0, '127.0.0.1');
		try {
			const r = await request(port, '/demo/seed.json');
			expect(r.status).toBe(404);
			expect(r.body.toString()).toContain('npm run seed');
			expect((await request(port, '/sale')).status).toBe(503);
		} finally {
			await server.close();
			rmSync(base, { recursive: true, force: true });
		}
	});
});

describe('negotiateEncoding', () => {
	it.each([
		[undefined, 'identity'],
		['', 'identity'],
		['gzip', 'gzip'],
		['gzip, deflate, br', 'br'],
		['br;q=0.5, gzip', 'gzip'],
		['br;q=0, gzip;q=0', 'identity'],
		['*', 'br'],
		['identity', 'identity'],
		['GZIP;Q=1', 'gzip']
	])('%j -> %s', (header, expected) => {
		expect(negotiateEncoding(header)).toBe(expected);
	});
});

describe('parseConfig', () => {
	it('uses defaults', () => {
		expect(parseConfig([], {}, '/repo')).toEqual({
			port: 8080,
			host: '127.0.0.1',
			staticDir: DEFAULT_STATIC_DIR,
			dataDir: path.resolve('/repo/data'),
			logLevel: 'info'
		});
	});

	it('reads the environment and lets flags win', () => {
		const env = { PORT: '9000', HOST: '0.0.0.0', STATIC_DIR: 'out', DATA_DIR: '/d', LOG_LEVEL: 'warn' };
		expect(parseConfig([], env, '/repo')).toMatchObject({
			port: 9000,
			host: '0.0.0.0',
			staticDir: path.resolve('/repo/out'),
			dataDir: path.resolve('/d'),
			logLevel: 'warn'
		});
		expect(parseConfig(['--port', '4173', '--static=b', '--quiet'], env, '/repo')).toMatchObject({
			port: 4173,
			staticDir: path.resolve('/repo/b'),
			logLevel: 'silent'
		});
	});

	it('rejects bad input clearly', () => {
		expect(() => parseConfig([], { PORT: 'eighty' })).toThrow(ConfigError);
		expect(() => parseConfig(['--port', '70000'], {})).toThrow(/at most 65535/);
		expect(() => parseConfig(['--bogus'], {})).toThrow(/unknown argument/);
		expect(() => parseConfig(['--static'], {})).toThrow(/needs a value/);
		expect(() => parseConfig([], { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
		expect(parseConfig(['--help'], {})).toBe('help');
	});

	it('turns on scale-out only with both DATABASE_URL and REDIS_URL', () => {
		const both = { DATABASE_URL: 'postgres://relay@db/branchline', REDIS_URL: 'redis://cache:6379' };
		expect(parseConfig([], both)).toMatchObject({
			scaleOut: { databaseUrl: both.DATABASE_URL, redisUrl: both.REDIS_URL }
		});
		expect((parseConfig([], {}) as { scaleOut?: unknown }).scaleOut).toBeUndefined();
		expect(() => parseConfig([], { DATABASE_URL: both.DATABASE_URL })).toThrow(
			/needs both.*only DATABASE_URL/
		);
		expect(() => parseConfig([], { REDIS_URL: both.REDIS_URL })).toThrow(/only REDIS_URL is set/);
		expect(() => parseConfig([], { ...both, REDIS_URL: 'http://cache' })).toThrow(/REDIS_URL must start/);
		expect(() => parseConfig([], { ...both, DATABASE_URL: 'db' })).toThrow(/DATABASE_URL is not a URL/);
	});
});
