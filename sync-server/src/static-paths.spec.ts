import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	cacheControlFor,
	contentTypeFor,
	decodeRequestPath,
	IMMUTABLE,
	isCompressible,
	isSpaRoute,
	NO_CACHE,
	resolveStatic,
	safeJoin
} from './static-paths.js';

describe('decodeRequestPath', () => {
	it.each([
		['/', '/'],
		['/index.html', '/index.html'],
		['/members/42?tab=points#x', '/members/42'],
		['/%E4%BC%9A%E5%91%98', '/会员'],
		['//double//slashes/', '/double/slashes'],
		['http://till.local:8080/_app/version.json', '/_app/version.json'],
		['/.well-known/assetlinks.json', '/.well-known/assetlinks.json']
	])('%s -> %s', (raw, expected) => {
		const decoded = decodeRequestPath(raw);
		expect(decoded.ok && decoded.pathname).toBe(expected);
	});

	it.each([
		'/../etc/passwd',
		'/_app/../../etc/passwd',
		'/%2e%2e/etc/passwd',
		'/%2E%2E%2Fetc%2Fpasswd',
		'/a/..%2f..%2f..%2fetc/passwd',
		'/..%5c..%5cwindows',
		'/a\\..\\b',
		'/./x'
	])('refuses traversal %s with 403', (raw) => {
		const decoded = decodeRequestPath(raw);
		expect(decoded.ok).toBe(false);
		if (!decoded.ok) expect(decoded.status).toBe(403);
	});

	it.each(['', 'relative/path', '*', '/%zz', '/a%00b', '/%E4%BC'])('rejects malformed %j with 400', (raw) => {
		const decoded = decodeRequestPath(raw);
		expect(decoded.ok).toBe(false);
		if (!decoded.ok) expect(decoded.status).toBe(400);
	});

	it('hides dotfiles', () => {
		for (const raw of ['/.env', '/.git/config', '/_app/.secret']) {
			const decoded = decodeRequestPath(raw);
			expect(decoded.ok ? 'served' : decoded.status).toBe(404);
		}
	});
});

describe('safeJoin', () => {
	const root = path.resolve('/srv/build');
	it('keeps paths inside the root', () => {
		expect(safeJoin(root, [])).toBe(root);
		expect(safeJoin(root, ['_app', 'x.js'])).toBe(path.join(root, '_app', 'x.js'));
	});
	it('returns null for anything that escapes', () => {
		expect(safeJoin(root, ['..', 'etc'])).toBeNull();
		expect(safeJoin(root, ['a', '..', '..', 'b'])).toBeNull();
		expect(safeJoin(root, ['/etc/passwd'])).toBeNull();
		expect(safeJoin(root, ['..', 'build-other', 'x'])).toBeNull();
	});
});

describe('isSpaRoute', () => {
	it.each([
		['/', true],
		['/sale', true],
		['/members/42', true],
		['/会员/张三', true],
		['/icons/icon.png', false],
		['/seed.json', false],
		['/_app/immutable/chunks/abc', false],
		['/_app', false]
	])('%s -> %s', (pathname, expected) => {
		expect(isSpaRoute(pathname)).toBe(expected);
	});
});

describe('resolveStatic', () => {
	let root: string;
	let outside: string;

	beforeAll(() => {
		const base = mkdtempSync(path.join(tmpdir(), 'branchline-static-'));
		root = path.join(base, 'build');
		outside = path.join(base, 'secret.txt');
		mkdirSync(path.join(root, '_app', 'immutable', 'chunks'), { recursive: true });
		mkdirSync(path.join(root, 'icons'), { recursive: true });
		mkdirSync(path.join(root, 'docs'), { recursive: true });
		writeFileSync(path.join(root, '200.html'), '<title>Branchline</title>');
		writeFileSync(path.join(root, 'manifest.webmanifest'), '{}');
		writeFileSync(path.join(root, 'icons', 'icon-192.png'), 'png');
		writeFileSync(path.join(root, 'docs', 'index.html'), 'docs');
		writeFileSync(path.join(root, '_app', 'immutable', 'chunks', 'a.js'), 'export {}');
		writeFileSync(outside, 'do not serve');
	});

	afterAll(() => rmSync(path.dirname(root), { recursive: true, force: true }));

	it('serves existing files', async () => {
		const r = await resolveStatic(root, '/manifest.webmanifest');
		expect(r).toMatchObject({
			kind: 'file',
			fallback: false,
			filePath: path.join(root, 'manifest.webmanifest')
		});
	});

	it('serves a directory index', async () => {
		const r = await resolveStatic(root, '/docs/');
		expect(r).toMatchObject({ kind: 'file', filePath: path.join(root, 'docs', 'index.html') });
	});

	it.each(['/', '/sale', '/members/42?x=1', '/a/deep/link', '/icons'])(
		'falls back to 200.html for %s',
		async (url) => {
			const r = await resolveStatic(root, url);
			expect(r).toMatchObject({ kind: 'file', fallback: true, filePath: path.join(root, '200.html') });
			if (r.kind === 'file') expect(r.pathname).toBe('/200.html');
		}
	);

	it.each(['/missing.js', '/icons/none.png', '/_app/immutable/chunks/gone', '/_app/version.json'])(
		'does not fall back for asset-like %s',
		async (url) => {
			expect(await resolveStatic(root, url)).toEqual({ kind: 'not-found' });
		}
	);

	it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/_app/..%2f..%2f..%2fsecret.txt'])(
		'refuses traversal %s',
		async (url) => {
			expect(await resolveStatic(root, url)).toMatchObject({ kind: 'refused', status: 403 });
		}
	);

	it('reports a missing build instead of a 404', async () => {
		const empty = mkdtempSync(path.join(tmpdir(), 'branchline-empty-'));
		try {
			expect(await resolveStatic(empty, '/sale')).toMatchObject({ kind: 'not-built' });
		} finally {
			rmSync(empty, { recursive: true, force: true });
		}
	});
});

describe('content types and caching', () => {
	it.each([
		['a.html', 'text/html; charset=utf-8'],
		['a.js', 'text/javascript; charset=utf-8'],
		['a.css', 'text/css; charset=utf-8'],
		['a.json', 'application/json; charset=utf-8'],
		['manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
		['a.svg', 'image/svg+xml'],
		['a.PNG', 'image/png'],
		['a.woff2', 'font/woff2'],
		['noext', 'application/octet-stream']
	])('%s is %s', (file, type) => {
		expect(contentTypeFor(file)).toBe(type);
	});

	it('compresses text but not images or fonts', () => {
		expect(isCompressible(contentTypeFor('a.js'))).toBe(true);
		expect(isCompressible(contentTypeFor('a.webmanifest'))).toBe(true);
		expect(isCompressible(contentTypeFor('a.svg'))).toBe(true);
		expect(isCompressible(contentTypeFor('a.png'))).toBe(false);
		expect(isCompressible(contentTypeFor('a.woff2'))).toBe(false);
	});

	it('caches hashed output forever and revalidates the rest', () => {
		expect(cacheControlFor('/_app/immutable/entry/start.abc.js')).toBe(IMMUTABLE);
		expect(cacheControlFor('/service-worker.js')).toBe(NO_CACHE);
		expect(cacheControlFor('/200.html')).toBe(NO_CACHE);
		expect(cacheControlFor('/manifest.webmanifest')).toBe(NO_CACHE);
		expect(cacheControlFor('/_app/version.json')).toBe(NO_CACHE);
	});
});
