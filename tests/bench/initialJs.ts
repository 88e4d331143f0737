/**
 * initial_js_gzip_kb: the JavaScript a first visit to '/' loads, from the build output. Entry points and
 * modulepreloads of build/200.html, plus the route node(s) the client manifest maps '/' to, plus everything
 * they import statically (transitively). Each file is gzipped at level 9 and the sizes are summed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface InitialJs {
	kb: number;
	files: { file: string; rawBytes: number; gzipBytes: number }[];
}

const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s*)["'`](\.{1,2}\/[^"'`]+?\.js)["'`]/g;

function staticImports(source: string): string[] {
	return [...source.matchAll(STATIC_IMPORT)].map((m) => m[1] ?? '').filter(Boolean);
}

/** The bracket-balanced array literal that starts at `from` (e.g. `[2,[,3],[4]]`). */
function arrayAt(source: string, from: number): string {
	let depth = 0;
	for (let i = from; i < source.length; i++) {
		if (source[i] === '[') depth++;
		else if (source[i] === ']' && --depth === 0) return source.slice(from, i + 1);
	}
	throw new Error('unbalanced route dictionary');
}

/**
 * Files (relative to build/) of the nodes that render `routeId`, read from the client entry's route dictionary the
 * way kit's client parses it: `[leaf, layouts, errors]`, root layout 0 and root error page 1 always, `~n` = n.
 */
function routeNodes(appSource: string, routeId: string): string[] {
	const nodeFiles = new Map<number, string>();
	for (const m of appSource.matchAll(/import\(`\.\.\/nodes\/(\d+)\.([^`]+?)\.js`\)/g))
		nodeFiles.set(Number(m[1]), `_app/immutable/nodes/${m[1]}.${m[2]}.js`);
	const key = `${JSON.stringify(routeId)}:[`;
	const at = appSource.indexOf(key);
	if (at < 0) throw new Error(`route ${routeId} not found in the client manifest`);
	const literal = arrayAt(appSource, at + key.length - 1)
		.replace(/~(\d+)/g, '$1')
		.replace(/(?<=[[,])(?=[,\]])/g, 'null');
	const [leaf, layouts, errors] = JSON.parse(literal) as [number, (number | null)[]?, (number | null)[]?];
	const ids = new Set([leaf, 0, 1, ...(layouts ?? []), ...(errors ?? [])].filter((n) => n !== null));
	return [...ids].map((id) => {
		const file = nodeFiles.get(id);
		if (!file) throw new Error(`node ${id} of route ${routeId} not found`);
		return file;
	});
}

export function initialJs(buildDir: string, routeId = '/'): InitialJs {
	const html = readFileSync(path.join(buildDir, '200.html'), 'utf8');
	const roots = new Set<string>();
	for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*>/g)) {
		const href = /href="([^"]+)"/.exec(m[0])?.[1];
		if (href) roots.add(href.replace(/^\.?\//, ''));
	}
	for (const m of html.matchAll(/import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g))
		roots.add((m[1] ?? '').replace(/^\.?\//, ''));
	const app = [...roots].find((f) => /entry\/app\.[^/]+\.js$/.test(f));
	if (!app) throw new Error('build/200.html names no entry/app.*.js');
	for (const node of routeNodes(readFileSync(path.join(buildDir, app), 'utf8'), routeId)) roots.add(node);

	const seen = new Set<string>();
	const queue = [...roots];
	while (queue.length) {
		const file = queue.shift() as string;
		if (seen.has(file)) continue;
		seen.add(file);
		const source = readFileSync(path.join(buildDir, file), 'utf8');
		for (const spec of staticImports(source)) queue.push(path.posix.join(path.posix.dirname(file), spec));
	}
	const files = [...seen].sort().map((file) => {
		const raw = readFileSync(path.join(buildDir, file));
		return { file, rawBytes: raw.length, gzipBytes: gzipSync(raw, { level: 9 }).length };
	});
	return { kb: files.reduce((s, f) => s + f.gzipBytes, 0) / 1024, files };
}
