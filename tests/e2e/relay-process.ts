/**
 * A real sync-server process of its own for the multi-till tests: the built server (what `npm start` runs) on a
 * free port with a fresh DATA_DIR holding the demo seed. It can be killed with SIGKILL and started again on the
 * same port and data, as a crashed server would be; owner tokens come from the CLI the README documents.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
		});
	});
}

export class RelayProcess {
	private child: ChildProcess | null = null;
	private output = '';

	private constructor(
		readonly port: number,
		readonly dataDir: string
	) {}

	/** A data directory with the e2e demo seed (written by Playwright's web server before any test runs). */
	static async create(): Promise<RelayProcess> {
		const dataDir = mkdtempSync(path.join(os.tmpdir(), 'branchline-e2e-relay-'));
		cpSync(path.join(root, 'data', 'e2e', 'seed'), path.join(dataDir, 'seed'), { recursive: true });
		return new RelayProcess(await freePort(), dataDir);
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		this.output = '';
		const child = spawn(process.execPath, [path.join(root, 'sync-server', 'dist', 'main.js')], {
			cwd: root,
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				DATA_DIR: this.dataDir,
				LOG_LEVEL: 'warn'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		this.child = child;
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`the relay exited (${child.exitCode}):\n${this.output}`);
			try {
				if ((await fetch(`${this.url}/healthz`)).ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`the relay did not answer /healthz within 20 s:\n${this.output}`);
	}

	/** kill -9: no shutdown hook runs, exactly like a crash or a power cut of the process. */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
		this.child = null;
	}

	/** An owner token for a branch, minted with `npm run device:token` against this relay's DATA_DIR. */
	ownerToken(chain: string, branch: string, device: string): string {
		const result = spawnSync(
			process.execPath,
			[
				path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
				'scripts/device-token.ts',
				'device-token',
				'--chain',
				chain,
				'--branch',
				branch,
				'--role',
				'owner',
				'--device',
				device
			],
			{ cwd: root, env: { ...process.env, DATA_DIR: this.dataDir }, encoding: 'utf8' }
		);
		if (result.status !== 0) throw new Error(`device:token failed: ${result.stderr}`);
		return result.stdout.trim();
	}

	async dispose(): Promise<void> {
		await this.kill();
		rmSync(this.dataDir, { recursive: true, force: true });
	}
}
