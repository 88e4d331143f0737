#!/usr/bin/env node
/**
 * Entry point: `node sync-server/dist/main.js` (what `npm start` and Playwright run).
 * Serves the built PWA, the demo seed, the relay's API and the websocket relay on one port.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, parseConfig, USAGE, type Config } from './config.js';
import { createLogger } from './log.js';
import { PersistenceError } from './relay/persistence.js';
import { startRelay, type RunningRelay } from './relay/start.js';
import { BusError } from './scale/redis-bus.js';
import { createServer } from './server.js';
import { SPA_FALLBACK } from './static-paths.js';

function loadConfig(): Config {
	try {
		const config = parseConfig(process.argv.slice(2), process.env);
		if (config === 'help') {
			console.log(USAGE);
			process.exit(0);
		}
		return config;
	} catch (err) {
		if (err instanceof ConfigError) {
			console.error(`sync-server: ${err.message}`);
			process.exit(2);
		}
		throw err;
	}
}

async function main(): Promise<void> {
	const config = loadConfig();
	const logger = createLogger({ level: config.logLevel });

	if (!existsSync(path.join(config.staticDir, SPA_FALLBACK))) {
		logger.warn('PWA build not found; pages will answer 503 until `npm run build` has run', {
			staticDir: config.staticDir
		});
	}

	const server = createServer({ staticDir: config.staticDir, dataDir: config.dataDir, logger });

	let relay: RunningRelay;
	try {
		relay = await startRelay({ server, dataDir: config.dataDir, logger, scaleOut: config.scaleOut });
	} catch (err) {
		const hint = err instanceof PersistenceError || err instanceof BusError ? err.message : undefined;
		logger.error('relay cannot start', { dataDir: config.dataDir, hint, err });
		if (config.logLevel === 'silent') console.error(`sync-server: ${hint ?? String(err)}`);
		process.exit(1);
	}

	try {
		const address = await server.listen(config.port, config.host);
		const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
		logger.info('listening', {
			url: `http://${host}:${address.port}`,
			staticDir: config.staticDir,
			dataDir: config.dataDir,
			pid: process.pid
		});
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		const hint =
			code === 'EADDRINUSE'
				? `port ${config.port} is already in use; set PORT to another port`
				: code === 'EACCES'
					? `not allowed to listen on ${config.host}:${config.port}`
					: undefined;
		logger.error('cannot listen', { host: config.host, port: config.port, code, hint, err });
		if (config.logLevel === 'silent') console.error(`sync-server: ${hint ?? String(err)}`);
		process.exit(1);
	}

	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		logger.info('stopping', { signal });
		const force = setTimeout(() => {
			logger.warn('connections still open after 5 s; exiting anyway');
			process.exit(0);
		}, 5000);
		force.unref();
		relay
			.close()
			.then(() => server.close())
			.then(
				() => process.exit(0),
				(err: unknown) => {
					logger.error('close failed', { err });
					process.exit(1);
				}
			);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
	console.error(err);
	process.exit(1);
});
