/**
 * Operator CLI, run from the repository root (`npm run device:token` / `npm run relay:enrol-code`). It works on
 * DATA_DIR directly (the relay may be running: the registry is shared safely, see auth/registry.ts), or on
 * PostgreSQL when DATABASE_URL is set (scale-out: the relays keep the secret and the registry there).
 *
 *   device-token --chain <id> --branch <id> --role <cashier|manager|owner> [--device <id>] [--ttl 12h]
 *                [--new-chain] [--data DIR] [--json]
 *       registers the device (a new id `cli-xxxxxxxx` unless --device) and prints its token on stdout.
 *       This is how a chain gets its first owner token.
 *   enrol-code   --chain <id> --branch <id> --role <role> [--data DIR] [--json]
 *       prints a one-time 8-digit enrolment code (24 h) without going through the HTTP API.
 *
 * Only the token or code goes to stdout (so `TOKEN=$(npm run -s device:token -- ...)` works); notes go to stderr.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isRole, isSafeId } from '../auth/claims.js';
import { DeviceError, DeviceService } from '../auth/devices.js';
import { DeviceRegistry } from '../auth/registry.js';
import { loadOrCreateSecret } from '../auth/secret.js';
import { MAX_TOKEN_TTL_S } from '../auth/tokens.js';
import type { Role } from '../protocol.js';
import { PersistenceError } from '../relay/store.js';
import { openDatabase } from '../scale/postgres.js';
import { openSharedAuth } from '../scale/shared-auth.js';

export class UsageError extends Error {
	override name = 'UsageError';
}

export interface CliIo {
	out(line: string): void;
	err(line: string): void;
}

const USAGE = `Usage:
  npm run device:token -- --chain <id> --branch <id> --role <cashier|manager|owner> [--device <id>] [--ttl 12h|30d] [--new-chain] [--data DIR] [--json]
  npm run relay:enrol-code -- --chain <id> --branch <id> --role <cashier|manager|owner> [--data DIR] [--json]
DATA_DIR (default ./data) is where the relay keeps relay-secret, devices.json and relay/;
with DATABASE_URL set (scale-out), the secret and the registry are read from PostgreSQL instead.`;

const VALUE_FLAGS = new Set(['chain', 'branch', 'role', 'device', 'ttl', 'data']);
const BOOLEAN_FLAGS = new Set(['new-chain', 'json', 'help']);

function parseArgs(argv: readonly string[]): Map<string, string | true> {
	const flags = new Map<string, string | true>();
	for (let i = 0; i < argv.length; i++) {
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i] as string);
		const name = match?.[1];
		if (!match || !name || (!VALUE_FLAGS.has(name) && !BOOLEAN_FLAGS.has(name))) {
			throw new UsageError(`unknown argument "${argv[i]}"`);
		}
		if (BOOLEAN_FLAGS.has(name)) {
			flags.set(name, true);
			continue;
		}
		const value = match[2] ?? argv[++i];
		if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
		flags.set(name, value);
	}
	return flags;
}

/** "90m", "12h", "30d" or plain seconds. */
export function parseTtl(text: string): number {
	const match = /^(\d+)([smhd]?)$/.exec(text.trim());
	if (!match) throw new UsageError(`--ttl must look like 90m, 12h or 30d, got "${text}"`);
	const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
	const seconds = Number(match[1]) * unit;
	if (seconds < 60 || seconds > MAX_TOKEN_TTL_S)
		throw new UsageError('--ttl must be between 1 minute and 90 days');
	return seconds;
}

function need(flags: Map<string, string | true>, name: string): string {
	const value = flags.get(name);
	if (typeof value !== 'string') throw new UsageError(`--${name} is required`);
	return value;
}

/** Runs one command; returns the process exit code. */
export async function runCli(
	command: 'device-token' | 'enrol-code',
	argv: readonly string[],
	env: Readonly<Record<string, string | undefined>>,
	io: CliIo,
	cwd = process.cwd()
): Promise<number> {
	try {
		const flags = parseArgs(argv);
		if (flags.has('help')) {
			io.err(USAGE);
			return 0;
		}
		const chain = need(flags, 'chain');
		const branch = need(flags, 'branch');
		const role = need(flags, 'role');
		if (!isSafeId(chain) || !isSafeId(branch))
			throw new UsageError('chain and branch ids are 1-64 letters, digits, _ or -');
		if (!isRole(role)) throw new UsageError('--role must be cashier, manager or owner');
		const dataDir = path.resolve(cwd, (flags.get('data') as string | undefined) ?? env.DATA_DIR ?? 'data');
		const databaseUrl = env.DATABASE_URL?.trim();
		const pool = databaseUrl ? await openDatabase(databaseUrl) : undefined;
		try {
			let devices: DeviceService;
			if (pool) {
				const shared = await openSharedAuth(pool, dataDir);
				devices = new DeviceService(shared.registry, shared.key);
			} else {
				const secret = await loadOrCreateSecret(dataDir);
				devices = new DeviceService(await DeviceRegistry.open(dataDir), secret.key);
			}
			return await runCommand(
				command,
				flags,
				{ chain, branch, role, dataDir: pool ? 'PostgreSQL' : dataDir },
				devices,
				io
			);
		} finally {
			await pool?.end();
		}
	} catch (err) {
		if (err instanceof UsageError) {
			io.err(`error: ${err.message}\n${USAGE}`);
			return 2;
		}
		if (err instanceof DeviceError || err instanceof PersistenceError) {
			io.err(`error: ${err.message}`);
			return 1;
		}
		throw err;
	}
}

async function runCommand(
	command: 'device-token' | 'enrol-code',
	flags: Map<string, string | true>,
	{ chain, branch, role, dataDir }: { chain: string; branch: string; role: Role; dataDir: string },
	devices: DeviceService,
	io: CliIo
): Promise<number> {
	const json = flags.has('json');

	if (command === 'enrol-code') {
		await devices.ensureChainKnown(chain);
		const created = await devices.createEnrolmentCode({ chain, device: 'cli' }, branch, role);
		io.out(json ? JSON.stringify(created) : created.code);
		io.err(`enrolment code for ${chain}/${branch} as ${role}, single use, valid until ${created.expiresAt}`);
		return 0;
	}

	const device = (flags.get('device') as string | undefined) ?? `cli-${randomBytes(4).toString('hex')}`;
	if (!isSafeId(device)) throw new UsageError('--device is 1-64 letters, digits, _ or -');
	const ttl = flags.get('ttl');
	const issued = await devices.registerAndMint(
		{ chain, branch, device, role },
		{ ttlSeconds: typeof ttl === 'string' ? parseTtl(ttl) : undefined, newChain: flags.has('new-chain') }
	);
	io.out(json ? JSON.stringify(issued) : issued.token);
	io.err(
		`token for device ${device} (${chain}/${branch}, ${role}), expires ${issued.expiresAt}; data: ${dataDir}`
	);
	return 0;
}
