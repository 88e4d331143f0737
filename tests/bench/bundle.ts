/**
 * Builds tests/bench/inject.ts (and the app modules it imports) into one browser IIFE with esbuild, the bundler
 * vite and tsx already install. Rebuilt on every run (well under a second) so it always matches src/.
 */
import { build, type Plugin } from 'esbuild';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** `$lib/...` → src/lib/... as SvelteKit resolves it. */
function kitAliases(root: string): Plugin {
	return {
		name: 'kit-aliases',
		setup(b) {
			b.onResolve({ filter: /^\$lib(\/|$)/ }, async (args) => {
				const rest = args.path.slice('$lib'.length);
				const result = await b.resolve(`./src/lib${rest}`, { kind: args.kind, resolveDir: root });
				return result.errors.length ? { errors: result.errors } : { path: result.path };
			});
			b.onResolve({ filter: /^\$app\// }, (args) => ({
				errors: [{ text: `${args.path} is not available in the bench bundle (imported by ${args.importer})` }]
			}));
		}
	};
}

/** Returns the bundle's source text (also written to bench/cache/inject.js for inspection). */
export async function buildInjectBundle(root: string): Promise<string> {
	const outfile = path.join(root, 'bench', 'cache', 'inject.js');
	await mkdir(path.dirname(outfile), { recursive: true });
	await build({
		entryPoints: [path.join(root, 'tests', 'bench', 'inject.ts')],
		bundle: true,
		format: 'iife',
		platform: 'browser',
		target: 'chrome120',
		outfile,
		sourcemap: 'inline',
		logLevel: 'warning',
		plugins: [kitAliases(root)]
	});
	return readFile(outfile, 'utf8');
}
