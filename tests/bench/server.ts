/** Starts the built sync-server (what `npm start` runs) on a free port with the bench's own DATA_DIR. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export interface RunningServer {
	baseURL: string;
	port: number;
	stop(): Promise<void>;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.unref();
		probe.on('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
		});
	});
}

async function waitHealthy(baseURL: string, child: ChildProcess, timeoutMs: number): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (child.exitCode !== null) throw new Error(`sync-server exited with code ${child.exitCode}`);
		try {
			const r = await fetch(`${baseURL}/healthz`);
			if (r.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`sync-server did not answer ${baseURL}/healthz within ${timeoutMs} ms`);
}

export async function startServer(
	root: string,
	dataDir: string,
	staticDir: string,
	port?: number
): Promise<RunningServer> {
	const chosen = port ?? (await freePort());
	const child = spawn(process.execPath, [path.join(root, 'sync-server', 'dist', 'main.js')], {
		cwd: root,
		env: {
			...process.env,
			PORT: String(chosen),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			STATIC_DIR: staticDir,
			LOG_LEVEL: 'warn'
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	const baseURL = `http://127.0.0.1:${chosen}`;
	try {
		await waitHealthy(baseURL, child, 15_000);
	} catch (error) {
		child.kill('SIGTERM');
		throw error;
	}
	return {
		baseURL,
		port: chosen,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			})
	};
}
