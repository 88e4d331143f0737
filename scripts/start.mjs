#!/usr/bin/env node
/**
 * `npm start`: from a fresh checkout to a running till server in one command.
 *
 * 1. installs dependencies when node_modules is missing or package-lock.json changed (npm ci);
 * 2. builds the PWA and the server when their sources are newer than the build (`--rebuild` forces it);
 * 3. generates the demo chain into DATA_DIR (default ./data), or leaves it if it is up to date;
 * 4. runs `node sync-server/dist/main.js` and prints the URL and the demo PINs.
 *
 * PORT, HOST, DATA_DIR, STATIC_DIR and LOG_LEVEL are passed through to the server.
 * Node built-ins only: this runs before node_modules exists.
 */
import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import {
	bold,
	DEMO_PINS,
	dim,
	ensureBuilt,
	ensureDemoSeed,
	ensureDeps,
	fail,
	green,
	root,
	step
} from './ensure-deps.mjs';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
	console.log(`Usage: npm start [-- --rebuild]
Environment: PORT (8080), HOST (127.0.0.1; 0.0.0.0 serves tills on the LAN), DATA_DIR (./data), LOG_LEVEL (info)`);
	process.exit(0);
}

const port = process.env.PORT || '8080';
const host = process.env.HOST || '127.0.0.1';
const dataDir = path.resolve(root, process.env.DATA_DIR || 'data');

await ensureDeps();
await ensureBuilt({ force: args.includes('--rebuild') });
await ensureDemoSeed(dataDir);

step(`Starting the server: node sync-server/dist/main.js ${dim(`(PORT=${port} HOST=${host})`)}`);
const server = spawn(process.execPath, [path.join(root, 'sync-server', 'dist', 'main.js')], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, PORT: port, HOST: host, DATA_DIR: dataDir }
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		stopping = true;
		if (server.exitCode === null && server.signalCode === null) server.kill(signal);
	});
}
server.on('error', (err) => fail(`could not start the server: ${err.message}`));
server.on('exit', (code, signal) => {
	if (!stopping && code !== 0) console.error(`server exited (${signal ?? `code ${code}`})`);
	process.exit(code ?? 0);
});

/** URLs a person can open: loopback for 127.0.0.1/localhost, every LAN address for 0.0.0.0. */
function urls() {
	const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	const list = [`http://${local}:${port}`];
	if (host === '0.0.0.0' || host === '::') {
		for (const nets of Object.values(networkInterfaces())) {
			for (const net of nets ?? []) {
				if (net.family === 'IPv4' && !net.internal) list.push(`http://${net.address}:${port}`);
			}
		}
	}
	return list;
}

async function waitForHealth() {
	const probeHost =
		host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline && server.exitCode === null) {
		try {
			const res = await fetch(`http://${probeHost}:${port}/healthz`);
			if (res.ok) return true;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 150));
	}
	return false;
}

if (await waitForHealth()) {
	const [first, ...lan] = urls();
	const pins = DEMO_PINS.map(([role, pin]) => `${role} ${bold(pin)}`).join(', ');
	console.log('');
	console.log(`  ${green('Branchline is running:')} ${bold(first)}`);
	for (const url of lan) console.log(`  on the network:        ${url}`);
	console.log(`  demo staff PINs:       ${pins} ${dim('(demo chain only)')}`);
	console.log(`  ${dim('Ctrl+C stops the server. Till data lives in each browser (IndexedDB), not here.')}`);
	console.log('');
} else if (server.exitCode === null) {
	console.error(`the server did not answer /healthz on port ${port} within 15 s; see its log above.`);
}
