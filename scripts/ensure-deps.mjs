#!/usr/bin/env node
/**
 * Shared helpers for scripts/start.mjs, scripts/test.mjs and scripts/e2e-server.mjs.
 * Node built-ins only: this runs before node_modules exists.
 *
 *   node scripts/ensure-deps.mjs     # install dependencies if missing or out of date
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants } from 'node:os';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_PINS = [
	['owner', '0000'],
	['manager', '1234'],
	['cashier', '1111']
];
const MIN_NODE = [20, 19];

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = (t) => paint('1', t);
export const green = (t) => paint('32', t);
export const red = (t) => paint('31', t);
export const dim = (t) => paint('2', t);

export function step(message) {
	console.log(`${bold('›')} ${message}`);
}

export function fail(message, code = 1) {
	console.error(`${red('✗')} ${message}`);
	process.exit(code);
}

/** Runs a command with inherited stdio; resolves to its exit code (signals count as failure). */
export function run(command, args, options = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
		child.on('error', (err) => {
			console.error(`${red('✗')} could not run ${command}: ${err.message}`);
			resolve(127);
		});
		child.on('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 1)));
	});
}

export function checkNodeVersion() {
	const [major, minor] = process.versions.node.split('.').map(Number);
	if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
		fail(`Branchline needs Node ${MIN_NODE.join('.')} or newer; this is ${process.version}.`);
	}
}

function mtime(file) {
	try {
		return statSync(file).mtimeMs;
	} catch {
		return 0;
	}
}

const STAMP = path.join(root, 'node_modules', '.branchline-deps');
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * Why dependencies must be (re)installed, or null when they are fine: node_modules missing, or
 * package-lock.json newer than the install (node_modules/.package-lock.json) and not what we installed last.
 */
export function depsStaleReason() {
	const lock = path.join(root, 'package-lock.json');
	const hidden = path.join(root, 'node_modules', '.package-lock.json');
	if (!existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing';
	if (!existsSync(hidden)) return 'node_modules looks incomplete';
	if (!existsSync(lock)) return null;
	// npm writes both lockfiles within milliseconds of each other; allow for that.
	if (mtime(lock) <= mtime(hidden) + 2000) return null;
	const stamp = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
	if (stamp === sha256(lock)) return null;
	return 'package-lock.json changed since the last install';
}

export async function ensureDeps() {
	checkNodeVersion();
	const reason = depsStaleReason();
	if (!reason) return;
	const lock = path.join(root, 'package-lock.json');
	const args = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
	step(`Installing dependencies (${reason}): npm ${args[0]}`);
	const code = await run('npm', args);
	if (code !== 0)
		fail(`npm ${args[0]} failed (exit ${code}). Check your network access to the npm registry.`, code);
	if (existsSync(lock)) writeFileSync(STAMP, sha256(lock) + '\n');
}

/** Newest mtime of the given files and (recursively) directories, including directory entries themselves. */
export function newestMtime(paths) {
	let newest = 0;
	const visit = (p) => {
		let s;
		try {
			s = statSync(p);
		} catch {
			return;
		}
		newest = Math.max(newest, s.mtimeMs);
		if (!s.isDirectory()) return;
		for (const entry of readdirSync(p)) {
			if (entry === 'node_modules' || entry === 'dist') continue;
			visit(path.join(p, entry));
		}
	};
	for (const p of paths) visit(path.join(root, p));
	return newest;
}

const APP_INPUTS = [
	'src',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'package.json',
	'package-lock.json'
];
const SERVER_INPUTS = [
	'sync-server/src',
	'sync-server/tsconfig.json',
	'sync-server/tsconfig.build.json',
	'sync-server/package.json'
];
const APP_OUTPUT = 'build/200.html';
const SERVER_OUTPUT = 'sync-server/dist/main.js';

/** Which parts need building: the PWA (vite) and/or the server (tsc). */
export function buildStaleness() {
	const out = (p) => mtime(path.join(root, p));
	return {
		app: out(APP_OUTPUT) === 0 || newestMtime(APP_INPUTS) > out(APP_OUTPUT),
		server: out(SERVER_OUTPUT) === 0 || newestMtime(SERVER_INPUTS) > out(SERVER_OUTPUT)
	};
}

/** Builds what is stale (or everything with force). */
export async function ensureBuilt({ force = false } = {}) {
	const stale = force ? { app: true, server: true } : buildStaleness();
	if (stale.app && stale.server) {
		step('Building the PWA and the server: npm run build');
		const code = await run('npm', ['run', 'build']);
		if (code !== 0) fail(`build failed (exit ${code}); see the errors above.`, code);
	} else if (stale.app) {
		step('Building the PWA: vite build');
		const code = await run(path.join(root, 'node_modules', '.bin', 'vite'), ['build']);
		if (code !== 0) fail(`vite build failed (exit ${code}); see the errors above.`, code);
	} else if (stale.server) {
		step('Building the server: npm run build -w sync-server');
		const code = await run('npm', ['run', 'build', '-w', 'sync-server']);
		if (code !== 0) fail(`sync-server build failed (exit ${code}); see the errors above.`, code);
	}
}

export const DEMO_SEED = path.join('seed', 'demo', 'chain.json');

/**
 * Makes sure <dataDir>/seed/demo/chain.json exists and matches the current generator by running
 * `npm run seed -- --scale demo` with DATA_DIR set (the seed skips itself in under a second when its
 * manifest is up to date). If the generator wrote to ./data instead, the file is copied over.
 * Returns false (with a warning) when there is no generator and no seed.
 */
export async function ensureDemoSeed(dataDir) {
	const target = path.join(dataDir, DEMO_SEED);
	if (!existsSync(path.join(root, 'scripts', 'seed.ts'))) {
		if (existsSync(target)) return true;
		console.warn(`${dim('!')} scripts/seed.ts is missing; /demo/seed.json will answer 404.`);
		return false;
	}
	const where = path.relative(root, dataDir) || '.';
	step(`Demo chain: npm run seed -- --scale demo ${dim(`(DATA_DIR=${where})`)}`);
	const code = await run('npm', ['run', '--silent', 'seed', '--', '--scale', 'demo'], {
		env: { ...process.env, DATA_DIR: dataDir }
	});
	if (code !== 0) fail(`the demo seed failed (exit ${code}); see the errors above.`, code);
	const fallback = path.join(root, 'data', DEMO_SEED);
	if (!existsSync(target) && existsSync(fallback)) {
		mkdirSync(path.dirname(target), { recursive: true });
		copyFileSync(fallback, target);
	}
	if (!existsSync(target)) fail(`the seed finished but ${path.relative(root, target)} does not exist.`);
	return true;
}

export const DEFAULT_CHROMIUM = '/usr/lib/chromium/chromium';

/** CHROMIUM_PATH or Debian's Chromium; installs it with apt-get when running as root. Returns the path. */
export async function ensureChromium() {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) {
		if (existsSync(fromEnv)) return fromEnv;
		fail(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist.`);
	}
	if (existsSync(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
	if (process.getuid?.() !== 0) {
		fail(
			'Chromium is needed for the browser tests: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH).'
		);
	}
	step('Installing Chromium for the browser tests: apt-get install -y chromium');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	let code = await run('apt-get', ['update'], { env });
	if (code === 0) code = await run('apt-get', ['install', '-y', 'chromium'], { env });
	if (code !== 0 || !existsSync(DEFAULT_CHROMIUM)) {
		fail(`installing Chromium failed (exit ${code}); install it by hand or set CHROMIUM_PATH.`, code || 1);
	}
	return DEFAULT_CHROMIUM;
}

const REDIS_SERVERS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];
const POSTGRES_LIB = '/usr/lib/postgresql';

/** Debian packages the scale-out test (tests/scale) needs and this machine lacks. */
export function missingScaleOutPackages() {
	const missing = [];
	if (!REDIS_SERVERS.some((file) => existsSync(file))) missing.push('redis-server');
	const hasPostgres =
		existsSync(POSTGRES_LIB) &&
		readdirSync(POSTGRES_LIB).some((v) => existsSync(path.join(POSTGRES_LIB, v, 'bin', 'postgres')));
	if (!hasPostgres) missing.push('postgresql');
	return missing;
}

/**
 * Redis and PostgreSQL for the scale-out test: installed with apt-get when running as root (as CI does);
 * otherwise a loud warning, and the test skips itself saying the same.
 */
export async function ensureScaleOutServices() {
	const missing = missingScaleOutPackages();
	if (missing.length === 0) return;
	const command = ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
	if (process.getuid?.() !== 0) {
		console.warn(
			`${red('!')} ${bold(`${missing.join(' and ')} missing`)}: the scale-out test will be SKIPPED. Install with: sudo ${command.join(' ')}`
		);
		return;
	}
	step(`Installing Redis/PostgreSQL for the scale-out test: ${command.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	let code = await run('apt-get', ['update'], { env });
	if (code === 0) code = await run(command[0], command.slice(1), { env });
	if (code !== 0 || missingScaleOutPackages().length > 0) {
		fail(
			`installing ${missing.join(' and ')} failed (exit ${code}); install by hand: ${command.join(' ')}`,
			code || 1
		);
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	await ensureDeps();
	console.log(green('✓ dependencies are installed'));
}
