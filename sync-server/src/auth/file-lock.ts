/**
 * A lock file next to a data file, so the relay and the CLI (two processes) never interleave a
 * read-modify-write of DATA_DIR/devices.json. `open(..., 'wx')` is atomic on local file systems; a lock left
 * behind by a crashed process is broken once it is older than `staleMs`.
 */
import { open, stat, unlink } from 'node:fs/promises';

export class LockTimeoutError extends Error {
	override name = 'LockTimeoutError';
}

export interface LockOptions {
	timeoutMs?: number;
	staleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquire(lockPath: string, { timeoutMs = 5000, staleMs = 30_000 }: LockOptions): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const handle = await open(lockPath, 'wx', 0o600);
			await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
			await handle.close();
			return;
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		}
		const age = await stat(lockPath).then(
			(s) => Date.now() - s.mtimeMs,
			() => 0
		);
		if (age > staleMs) {
			await unlink(lockPath).catch(() => undefined);
			continue;
		}
		if (Date.now() > deadline) {
			throw new LockTimeoutError(
				`${lockPath} is held by another process; retry, or remove it if none is running`
			);
		}
		await sleep(10 + Math.random() * 20);
	}
}

/** Runs `fn` while holding `lockPath`; the lock is released even when `fn` throws. */
export async function withFileLock<T>(
	lockPath: string,
	fn: () => Promise<T>,
	options: LockOptions = {}
): Promise<T> {
	await acquire(lockPath, options);
	try {
		return await fn();
	} finally {
		await unlink(lockPath).catch(() => undefined);
	}
}
