/**
 * Mapping request URLs onto files of the built PWA: decoding, traversal refusal, the SPA fallback
 * (200.html, see pitfall #2 in shared/notes/stack-on-node20.md), content types and cache policy.
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';

export const SPA_FALLBACK = '200.html';

export type DecodedPath =
	{ ok: true; pathname: string; segments: string[] } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Turns a raw request target (`req.url`) into a safe, decoded path. Refuses anything that could
 * climb out of the served directory (`..` in any encoding, backslashes, NUL) and hides dotfiles
 * other than `/.well-known/`.
 */
export function decodeRequestPath(rawUrl: string | undefined): DecodedPath {
	if (!rawUrl || (!rawUrl.startsWith('/') && !/^https?:\/\//i.test(rawUrl))) {
		return { ok: false, status: 400, reason: 'request target must be an absolute path' };
	}
	// Look at the raw path before the URL parser resolves dot segments away: a request that tries to
	// climb is refused outright rather than silently served something else.
	const rawPath = rawUrl.replace(/^https?:\/\/[^/]*/i, '').split(/[?#]/, 1)[0] ?? '';
	let rawDecoded: string;
	try {
		rawDecoded = decodeURIComponent(rawPath);
	} catch {
		return { ok: false, status: 400, reason: 'malformed percent-encoding' };
	}
	if (rawDecoded.includes('\0')) return { ok: false, status: 400, reason: 'NUL byte in path' };
	if (rawDecoded.includes('\\')) return { ok: false, status: 403, reason: 'backslash in path' };
	const rawSegments = rawDecoded.split('/');
	if (rawSegments.some((s) => s === '..' || s === '.')) {
		return { ok: false, status: 403, reason: 'path traversal refused' };
	}
	const segments = rawSegments.filter((s) => s.length > 0);
	if (segments.some((s, i) => s.startsWith('.') && !(i === 0 && s === '.well-known'))) {
		return { ok: false, status: 404, reason: 'dotfiles are not served' };
	}
	return { ok: true, pathname: '/' + segments.join('/'), segments };
}

/** Joins decoded segments under root and proves the result is still inside root. */
export function safeJoin(root: string, segments: readonly string[]): string | null {
	const absRoot = path.resolve(root);
	const candidate = path.resolve(absRoot, ...segments);
	const rel = path.relative(absRoot, candidate);
	if (rel === '') return candidate;
	if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
	return candidate;
}

/** True for paths that name a client-side route rather than an asset: no extension, not under /_app/. */
export function isSpaRoute(pathname: string): boolean {
	if (pathname === '/_app' || pathname.startsWith('/_app/')) return false;
	const last = pathname.slice(pathname.lastIndexOf('/') + 1);
	return path.extname(last) === '';
}

export type Resolution =
	| { kind: 'file'; filePath: string; stats: Stats; fallback: boolean; pathname: string }
	| { kind: 'not-found' }
	| { kind: 'not-built'; filePath: string }
	| { kind: 'refused'; status: 400 | 403 | 404; reason: string };

async function fileStats(filePath: string): Promise<Stats | null> {
	try {
		const s = await stat(filePath);
		return s;
	} catch {
		return null;
	}
}

/**
 * Resolves a request target against the static root:
 * - an existing file is served as is (a directory serves its index.html if it has one);
 * - a missing path without a file extension (a client route such as /members/42) gets 200.html;
 * - anything else is not found.
 */
export async function resolveStatic(root: string, rawUrl: string | undefined): Promise<Resolution> {
	const decoded = decodeRequestPath(rawUrl);
	if (!decoded.ok) return { kind: 'refused', status: decoded.status, reason: decoded.reason };
	const filePath = safeJoin(root, decoded.segments);
	if (filePath === null) return { kind: 'refused', status: 403, reason: 'path traversal refused' };

	const stats = await fileStats(filePath);
	if (stats?.isFile()) return { kind: 'file', filePath, stats, fallback: false, pathname: decoded.pathname };
	if (stats?.isDirectory()) {
		const indexPath = path.join(filePath, 'index.html');
		const indexStats = await fileStats(indexPath);
		if (indexStats?.isFile()) {
			const pathname = decoded.pathname.replace(/\/?$/, '/index.html');
			return { kind: 'file', filePath: indexPath, stats: indexStats, fallback: false, pathname };
		}
	}
	if (!isSpaRoute(decoded.pathname)) return { kind: 'not-found' };

	const fallbackPath = path.join(path.resolve(root), SPA_FALLBACK);
	const fallbackStats = await fileStats(fallbackPath);
	if (fallbackStats?.isFile()) {
		return {
			kind: 'file',
			filePath: fallbackPath,
			stats: fallbackStats,
			fallback: true,
			pathname: '/' + SPA_FALLBACK
		};
	}
	return { kind: 'not-built', filePath: fallbackPath };
}

const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
	'.otf': 'font/otf',
	'.txt': 'text/plain; charset=utf-8',
	'.csv': 'text/csv; charset=utf-8',
	'.xml': 'application/xml; charset=utf-8',
	'.wasm': 'application/wasm',
	'.pdf': 'application/pdf'
};

export function contentTypeFor(filePath: string): string {
	return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Text-like types worth gzip/brotli; images and fonts are already compressed. */
export function isCompressible(contentType: string): boolean {
	return (
		contentType.startsWith('text/') ||
		contentType.startsWith('application/json') ||
		contentType.startsWith('application/manifest+json') ||
		contentType.startsWith('application/xml') ||
		contentType.startsWith('image/svg+xml') ||
		contentType.startsWith('application/wasm')
	);
}

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';

/**
 * Hashed build output never changes, so it is cached for a year. Everything else — above all the
 * service worker, the SPA shell (200.html) and the manifest — must be revalidated on every load,
 * or a till could be stuck on an old version.
 */
export function cacheControlFor(pathname: string): string {
	if (pathname.startsWith('/_app/immutable/')) return IMMUTABLE;
	return NO_CACHE;
}
