/**
 * Throw-away Redis and PostgreSQL servers for the scale-out test, from Debian's packages (`redis-server`,
 * `postgresql`; `npm test` installs them when it runs as root, see scripts/ensure-deps.mjs). Each runs on a free
 * loopback port with its data in a temporary directory, and is stopped and removed by `stop()`, or killed when
 * the test process exits, whatever happened.
 *
 * PostgreSQL refuses to run as root: as root, initdb and postgres run as the `postgres` user (or `nobody`)
 * through spawn's uid/gid, which keeps the server's own pid for stopping it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../relay/harness.js';

export interface Service {
	url: string;
	logs: string[];
	stop(): Promise<void>;
}

export interface RedisService extends Service {
	/** SIGKILL, then start again on the same port (nothing kept: pub/sub has no history anyway) */
	crashAndRestart(downMs: number): Promise<void>;
}

const INSTALL_HINT =
	'install them with `sudo apt-get install -y --no-install-recommends redis-server postgresql` ' +
	'(`npm test` does this itself when run as root)';

/** The newest /usr/lib/postgresql/<version>/bin (or PG_BIN). */
function postgresBin(): string | undefined {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base)
		.filter((v) => existsSync(path.join(base, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

function redisServer(): string | undefined {
	const candidates = [process.env.REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server'];
	return candidates.find((file): file is string => !!file && existsSync(file));
}

/** What is missing to run the scale-out test, as a sentence, or undefined when everything is there. */
export function missingServices(): string | undefined {
	const missing = [
		redisServer() ? undefined : 'redis-server',
		postgresBin() ? undefined : 'PostgreSQL'
	].filter(Boolean);
	return missing.length ? `${missing.join(' and ')} not found; ${INSTALL_HINT}` : undefined;
}

/**
 * Whether the scale-out tests must skip: only when a package is missing and we are not root. Root (CI, and
 * `npm test`, which installs the packages as root) always runs them, failing clearly if a package is missing;
 * a developer machine without sudo gets a loud warning instead of a red `npm test`.
 */
export function skipScaleTests(file: string): boolean {
	const missing = missingServices();
	if (missing === undefined || process.getuid?.() === 0) return false;
	console.warn(`\n!!! SKIPPED ${file}: ${missing}\n`);
	return true;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

function launch(command: string, args: string[], logs: string[], ids?: { uid: number; gid: number }) {
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...ids });
	children.add(child);
	child.once('exit', () => children.delete(child));
	for (const stream of [child.stdout, child.stderr]) {
		stream?.setEncoding('utf8');
		stream?.on('data', (chunk: string) => logs.push(...chunk.split('\n').filter(Boolean)));
	}
	return child;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill(signal);
	const force = setTimeout(() => child.kill('SIGKILL'), 5000);
	await exited;
	clearTimeout(force);
}

async function waitFor(what: string, child: ChildProcess, logs: string[], ready: () => Promise<boolean>) {
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${logs.join('\n')}`);
		if (await ready().catch(() => false)) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`${what} did not start in 20 s:\n${logs.join('\n')}`);
}

export async function startRedis(): Promise<RedisService> {
	const binary = redisServer();
	if (!binary) throw new Error(`redis-server not found; ${INSTALL_HINT}`);
	const dir = mkdtempSync(path.join(tmpdir(), 'branchline-redis-'));
	const port = await freePort();
	const logs: string[] = [];
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--dir',
		dir
	];
	const start = async () => {
		const from = logs.length;
		const started = launch(binary, args, logs);
		const ready = async () => logs.slice(from).some((l) => l.includes('Ready to accept'));
		await waitFor('redis-server', started, logs, ready);
		return started;
	};
	let child = await start();
	return {
		url: `redis://127.0.0.1:${port}`,
		logs,
		async crashAndRestart(downMs) {
			await stopChild(child, 'SIGKILL');
			await new Promise((r) => setTimeout(r, downMs));
			child = await start();
		},
		async stop() {
			await stopChild(child, 'SIGTERM');
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** uid/gid to run PostgreSQL as when we are root (it refuses root). */
function unprivilegedIds(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	for (const user of ['postgres', 'nobody']) {
		try {
			const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
			const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
			return { uid, gid };
		} catch {
			// no such user; try the next
		}
	}
	throw new Error('running as root, but neither a postgres nor a nobody user exists to run PostgreSQL');
}

export async function startPostgres(): Promise<Service> {
	const bin = postgresBin();
	if (!bin) throw new Error(`PostgreSQL not found under /usr/lib/postgresql; ${INSTALL_HINT}`);
	const dir = mkdtempSync(path.join(tmpdir(), 'branchline-pg-'));
	const ids = unprivilegedIds();
	if (ids) chownSync(dir, ids.uid, ids.gid);
	const dataDir = path.join(dir, 'data');
	const logs: string[] = [];
	const port = await freePort();
	const stopAll = () => rmSync(dir, { recursive: true, force: true });
	try {
		const initdb = launch(
			path.join(bin, 'initdb'),
			['-D', dataDir, '-U', 'branchline', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
			logs,
			ids
		);
		const code = await new Promise<number | null>((resolve) => initdb.once('exit', resolve));
		if (code !== 0) throw new Error(`initdb failed (${code}):\n${logs.join('\n')}`);
	} catch (err) {
		stopAll();
		throw err;
	}
	const args = ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'];
	const child = launch(path.join(bin, 'postgres'), args, logs, ids);
	const url = `postgres://branchline@127.0.0.1:${port}/postgres`;
	try {
		await waitFor('postgres', child, logs, async () => {
			const client = new pg.Client({ connectionString: url });
			await client.connect();
			await client.end();
			return true;
		});
	} catch (err) {
		await stopChild(child, 'SIGKILL');
		stopAll();
		throw err;
	}
	return {
		url,
		logs,
		async stop() {
			// SIGINT = fast shutdown (disconnects clients, no waiting for them)
			await stopChild(child, 'SIGINT');
			stopAll();
		}
	};
}
