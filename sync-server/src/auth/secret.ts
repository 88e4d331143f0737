/**
 * The relay's signing secret: DATA_DIR/relay-secret, 32 random bytes (base64url), created on first start with
 * mode 0600. Whoever reads it can mint tokens for any chain, so it is never logged and never leaves DATA_DIR.
 * Replacing the file invalidates every token at once; enrolled devices get new ones with their key (refresh).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const SECRET_FILE = 'relay-secret';

export class SecretError extends Error {
	override name = 'SecretError';
}

export interface RelaySecret {
	key: Uint8Array;
	/** true when this call created the file */
	created: boolean;
	/** true when group or others may read the file (worth a warning) */
	exposed: boolean;
}

export function decodeSecret(text: string, file: string): Uint8Array {
	const key = Buffer.from(text.trim(), 'base64url');
	if (key.length < 32)
		throw new SecretError(`${file} must hold at least 32 bytes (base64url); remove it to regenerate`);
	return new Uint8Array(key);
}

/**
 * Reads DATA_DIR/relay-secret, creating it when missing. The new secret is written to a private temporary file
 * and hard-linked into place: link() is atomic and refuses to overwrite, so a relay and the CLI starting at
 * the same moment agree on one secret and neither can read a half-written file.
 */
export async function loadOrCreateSecret(dataDir: string): Promise<RelaySecret> {
	const file = path.join(dataDir, SECRET_FILE);
	await mkdir(dataDir, { recursive: true });
	const text = randomBytes(32).toString('base64url');
	const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	await writeFile(tmp, text + '\n', { mode: 0o600, flush: true });
	try {
		await link(tmp, file);
		return { key: decodeSecret(text, file), created: true, exposed: false };
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
	} finally {
		await unlink(tmp);
	}
	const [existing, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
	return { key: decodeSecret(existing, file), created: false, exposed: (info.mode & 0o077) !== 0 };
}
