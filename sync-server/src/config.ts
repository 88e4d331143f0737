/**
 * Server configuration from the command line and the environment (flags win over variables).
 *
 *   --port N        PORT        default 8080
 *   --host H        HOST        default 127.0.0.1 (use 0.0.0.0 to serve tills on the LAN)
 *   --static DIR    STATIC_DIR  default <repo>/build (the adapter-static output)
 *   --data DIR      DATA_DIR    default ./data (relative to the working directory)
 *   --log-level L   LOG_LEVEL   debug | info | warn | error | silent; default info
 *   --quiet                     same as --log-level silent
 *                   DATABASE_URL  with REDIS_URL: scale-out (several relays, PostgreSQL + Redis)
 *                   REDIS_URL     e.g. redis://127.0.0.1:6379 (environment only: URLs may hold passwords)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLogLevel, type LogLevel } from './log.js';

export interface Config {
	port: number;
	host: string;
	staticDir: string;
	dataDir: string;
	logLevel: LogLevel;
	/** set when several relays share one chain (README "Running a large chain"); absent = embedded LevelDB */
	scaleOut?: ScaleOutConfig;
}

export interface ScaleOutConfig {
	databaseUrl: string;
	redisUrl: string;
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/**
 * The sync-server package directory, found by walking up to its package.json: this module runs from src/
 * (tests, tsx) and from dist/sync-server/src/ (built, see scripts/build.mjs), at different depths.
 */
export function findPackageDir(from: string = fileURLToPath(import.meta.url)): string {
	for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest)) {
			const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
			if (name === '@branchline/sync-server') return dir;
		}
		if (path.dirname(dir) === dir) throw new ConfigError(`cannot find the sync-server package above ${from}`);
	}
}

/** <repo>/build, the adapter-static output next to the sync-server package. */
export const DEFAULT_STATIC_DIR = path.join(path.dirname(findPackageDir()), 'build');

export const USAGE = `Usage: node sync-server/dist/main.js [--port N] [--host H] [--static DIR] [--data DIR] [--log-level L | --quiet]
Environment: PORT, HOST, STATIC_DIR, DATA_DIR, LOG_LEVEL (flags win).
Scale-out (several relays behind one address): DATABASE_URL=postgres://... and REDIS_URL=redis://..., both.`;

function parsePort(value: string, source: string): number {
	if (!/^\d+$/.test(value.trim())) throw new ConfigError(`${source} must be a port number, got "${value}"`);
	const port = Number(value);
	if (port > 65535) throw new ConfigError(`${source} must be at most 65535, got ${port}`);
	return port;
}

function parseScaleOut(env: Readonly<Record<string, string | undefined>>): ScaleOutConfig | undefined {
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	const redisUrl = env.REDIS_URL?.trim() || undefined;
	if (!databaseUrl && !redisUrl) return undefined;
	if (!databaseUrl || !redisUrl) {
		throw new ConfigError(
			`scale-out needs both DATABASE_URL (PostgreSQL) and REDIS_URL (Redis); only ${databaseUrl ? 'DATABASE_URL' : 'REDIS_URL'} is set. ` +
				'Set both, or neither for the embedded LevelDB store.'
		);
	}
	for (const [name, value, schemes] of [
		['DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']],
		['REDIS_URL', redisUrl, ['redis:', 'rediss:']]
	] as const) {
		let scheme: string;
		try {
			scheme = new URL(value).protocol;
		} catch {
			throw new ConfigError(`${name} is not a URL (expected ${schemes[0]}//host:port/...)`);
		}
		if (!(schemes as readonly string[]).includes(scheme))
			throw new ConfigError(`${name} must start with ${schemes.join('// or ')}//, got ${scheme}//`);
	}
	return { databaseUrl, redisUrl };
}

export function parseConfig(
	argv: readonly string[],
	env: Readonly<Record<string, string | undefined>>,
	cwd: string = process.cwd()
): Config | 'help' {
	const flags = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] as string;
		if (arg === '--help' || arg === '-h') return 'help';
		if (arg === '--quiet' || arg === '-q') {
			flags.set('log-level', 'silent');
			continue;
		}
		const match = /^--(port|host|static|data|log-level)(?:=(.*))?$/.exec(arg);
		if (!match) throw new ConfigError(`unknown argument "${arg}"\n${USAGE}`);
		const name = match[1] as string;
		let value = match[2];
		if (value === undefined) {
			value = argv[i + 1];
			i++;
			if (value === undefined || value.startsWith('--')) throw new ConfigError(`--${name} needs a value`);
		}
		flags.set(name, value);
	}

	const pick = (flag: string, envName: string): [string, string] | undefined => {
		const fromFlag = flags.get(flag);
		if (fromFlag !== undefined) return [fromFlag, `--${flag}`];
		const fromEnv = env[envName];
		if (fromEnv !== undefined && fromEnv !== '') return [fromEnv, envName];
		return undefined;
	};

	const port = pick('port', 'PORT');
	const host = pick('host', 'HOST');
	const staticDir = pick('static', 'STATIC_DIR');
	const dataDir = pick('data', 'DATA_DIR');
	const logLevel = pick('log-level', 'LOG_LEVEL');
	if (logLevel && !isLogLevel(logLevel[0])) {
		throw new ConfigError(
			`${logLevel[1]} must be one of debug, info, warn, error, silent; got "${logLevel[0]}"`
		);
	}

	return {
		scaleOut: parseScaleOut(env),
		port: port ? parsePort(port[0], port[1]) : 8080,
		host: host?.[0] ?? '127.0.0.1',
		staticDir: staticDir ? path.resolve(cwd, staticDir[0]) : DEFAULT_STATIC_DIR,
		dataDir: path.resolve(cwd, dataDir?.[0] ?? 'data'),
		logLevel: (logLevel?.[0] as LogLevel | undefined) ?? 'info'
	};
}
