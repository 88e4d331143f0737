/**
 * Test harness for the relay: runs sync-server as a child process on a temporary DATA_DIR and a free port
 * (the built relay when sync-server/dist is newer than its sources, otherwise the sources through tsx; force
 * with RELAY_ENTRY=dist|source), mints tokens the way the CLI does, and connects real y-websocket clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DeviceService } from '../../sync-server/src/auth/devices.js';
import { DeviceRegistry } from '../../sync-server/src/auth/registry.js';
import { loadOrCreateSecret } from '../../sync-server/src/auth/secret.js';
import type { DeviceClaims } from '../../src/lib/sync/protocol.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHAIN = 'chain-test';

function newestSource(dir: string): number {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
		else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
			newest = Math.max(newest, statSync(full).mtimeMs);
	}
	return newest;
}

/** The command that runs the relay: the build when it is up to date, else the sources. */
export function relayCommand(): { args: string[]; kind: 'dist' | 'source' } {
	const built = path.join(ROOT, 'sync-server', 'dist', 'main.js');
	const sources = Math.max(
		newestSource(path.join(ROOT, 'sync-server', 'src')),
		statSync(path.join(ROOT, 'src/lib/sync/protocol.ts')).mtimeMs
	);
	const wanted = process.env.RELAY_ENTRY;
	const fresh = existsSync(built) && statSync(built).mtimeMs >= sources;
	if (wanted === 'dist' || (wanted !== 'source' && fresh)) return { args: [built], kind: 'dist' };
	return { args: ['--import', 'tsx', path.join(ROOT, 'sync-server', 'src', 'main.ts')], kind: 'source' };
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export interface RelayProcess {
	readonly dataDir: string;
	port: number;
	child: ChildProcess;
	logs: string[];
	url(pathname: string): string;
	/** SIGKILL, no chance to flush anything */
	kill9(): Promise<void>;
	restart(): Promise<void>;
	stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

async function waitForHealth(port: number, child: ChildProcess, logs: string[]): Promise<void> {
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`relay exited (${child.exitCode}):\n${logs.join('\n')}`);
		try {
			if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`relay did not become healthy:\n${logs.join('\n')}`);
}

function exited(child: ChildProcess): Promise<void> {
	return child.exitCode !== null || child.signalCode !== null
		? Promise.resolve()
		: new Promise((r) => child.once('exit', () => r()));
}

/**
 * Starts a relay on a fresh DATA_DIR whose demo seed names CHAIN (so the relay serves it from the start).
 * `env` adds variables (e.g. DATABASE_URL and REDIS_URL for scale-out).
 */
export async function startRelay(options: { env?: Record<string, string> } = {}): Promise<RelayProcess> {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'branchline-relay-it-'));
	mkdirSync(path.join(dataDir, 'seed', 'demo'), { recursive: true });
	writeFileSync(path.join(dataDir, 'seed', 'demo', 'chain.json'), JSON.stringify({ chain: { id: CHAIN } }));
	const logs: string[] = [];

	const launch = async (port: number) => {
		// Scale-out only when asked for: a DATABASE_URL in the developer's shell must not reach these relays.
		const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
		const child = spawn(process.execPath, relayCommand().args, {
			cwd: ROOT,
			env: {
				...inherited,
				PORT: String(port),
				HOST: '127.0.0.1',
				DATA_DIR: dataDir,
				STATIC_DIR: dataDir,
				LOG_LEVEL: 'info',
				...options.env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		running.add(child);
		child.once('exit', () => running.delete(child));
		for (const stream of [child.stdout, child.stderr]) {
			stream?.setEncoding('utf8');
			stream?.on('data', (chunk: string) => logs.push(...chunk.split('\n').filter(Boolean)));
		}
		await waitForHealth(port, child, logs);
		return child;
	};

	const relay: RelayProcess = {
		dataDir,
		port: await freePort(),
		child: undefined as unknown as ChildProcess,
		logs,
		url: (pathname) => `http://127.0.0.1:${relay.port}${pathname}`,
		async kill9() {
			relay.child.kill('SIGKILL');
			await exited(relay.child);
		},
		async restart() {
			relay.child = await launch(relay.port);
		},
		async stop() {
			relay.child.kill('SIGTERM');
			await exited(relay.child);
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
	relay.child = await launch(relay.port);
	return relay;
}

/** For afterAll: no relay outlives the tests. */
export function killAllRelays(): void {
	for (const child of running) child.kill('SIGKILL');
}

/** Registers a device and mints its token exactly as `npm run device:token` does. */
export async function mintToken(dataDir: string, claims: DeviceClaims): Promise<string> {
	const { key } = await loadOrCreateSecret(dataDir);
	const devices = new DeviceService(await DeviceRegistry.open(dataDir), key);
	return (await devices.registerAndMint(claims)).token;
}

export interface Till {
	doc: Y.Doc;
	provider: WebsocketProvider;
	closes: Array<{ code: number; reason: string }>;
	synced(): Promise<void>;
	closed(): Promise<{ code: number; reason: string }>;
}

const tills = new Set<Till>();

/** A y-websocket client in Node, as a till would connect (BroadcastChannel off: sync must cross the relay). */
export function connect(
	relay: RelayProcess,
	room: string,
	token: string | undefined,
	doc = new Y.Doc()
): Till {
	const provider = new WebsocketProvider(`ws://127.0.0.1:${relay.port}/sync`, room, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 300,
		params: token ? { token } : {}
	});
	const closes: Till['closes'] = [];
	provider.on('connection-close', (event) => {
		if (event) closes.push({ code: event.code, reason: event.reason });
	});
	const till: Till = {
		doc,
		provider,
		closes,
		synced: () =>
			provider.synced ? Promise.resolve() : new Promise((r) => provider.once('sync', () => r())),
		closed: () =>
			closes.length > 0
				? Promise.resolve(closes[0] as { code: number; reason: string })
				: new Promise((r) =>
						provider.once('connection-close', (event) =>
							r({ code: event?.code ?? 0, reason: event?.reason ?? '' })
						)
					)
	};
	tills.add(till);
	return till;
}

export function disconnectAll(): void {
	for (const till of tills) till.provider.destroy();
	tills.clear();
}

/** Polls `check` until it returns true (sync is asynchronous). */
export async function eventually(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** Status line of a raw websocket upgrade request (401/403 arrive before any handshake). */
export function upgradeStatus(relay: RelayProcess, target: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: '127.0.0.1',
			port: relay.port,
			path: target,
			headers: {
				Connection: 'Upgrade',
				Upgrade: 'websocket',
				'Sec-WebSocket-Version': '13',
				'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64')
			}
		});
		req.on('upgrade', (res, socket) => {
			socket.destroy();
			resolve(res.statusCode ?? 101);
		});
		req.on('response', (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end();
	});
}

export async function api(
	relay: RelayProcess,
	method: string,
	pathname: string,
	body?: unknown,
	token?: string
) {
	const res = await fetch(relay.url(pathname), {
		method,
		headers: {
			...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
			...(token ? { Authorization: `Bearer ${token}` } : {})
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
