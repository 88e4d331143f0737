#!/usr/bin/env node
/**
 * Playwright's web server (see playwright.config.ts): builds if the build is stale, makes sure the
 * e2e data directory holds the demo seed, then runs the built sync-server in this process's place.
 * PORT and DATA_DIR come from playwright.config.ts.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt, ensureDemoSeed, fail, root } from './ensure-deps.mjs';

const dataDir = path.resolve(root, process.env.DATA_DIR || 'data/e2e');

await ensureBuilt();
await ensureDemoSeed(dataDir);

const server = spawn(process.execPath, [path.join(root, 'sync-server', 'dist', 'main.js')], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, DATA_DIR: dataDir }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		if (server.exitCode === null) server.kill(signal);
	});
}
server.on('error', (err) => fail(`could not start the server: ${err.message}`));
server.on('exit', (code) => process.exit(code ?? 0));
