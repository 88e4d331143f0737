/**
 * scripts/ensure-deps.mjs (build, demo seed, Chromium), typed for the bench. Loaded through a computed specifier so
 * the type checker does not follow it into a plain-JS file that is not written for `checkJs` under strict.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface EnsureDeps {
	root: string;
	step(message: string): void;
	run(command: string, args: string[], options?: { env?: NodeJS.ProcessEnv }): Promise<number>;
	buildStaleness(): { app: boolean; server: boolean };
	ensureBuilt(options?: { force?: boolean }): Promise<void>;
	ensureDemoSeed(dataDir: string): Promise<boolean>;
	ensureChromium(): Promise<string>;
}

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

export async function loadEnsureDeps(): Promise<EnsureDeps> {
	const url = pathToFileURL(path.join(projectRoot, 'scripts', 'ensure-deps.mjs')).href;
	return (await import(url)) as EnsureDeps;
}
