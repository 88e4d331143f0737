/**
 * The device registry: DATA_DIR/devices.json, one small JSON file holding the chains this relay serves, every
 * enrolled device (chain, branch, role, public key, enrolment and revocation times) and the pending one-time
 * enrolment codes (only their HMAC, never the digits). The relay and the CLI both write it: every change is a
 * locked read-modify-write followed by an atomic rename, and readers reload whenever the file changed on disk,
 * so a device the CLI registers is known to a running relay at its next upgrade.
 */
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Role } from '../protocol.js';
import { isRole, isSafeId } from './claims.js';
import { withFileLock } from './file-lock.js';

export const REGISTRY_FILE = 'devices.json';

/** An ECDSA P-256 public key as WebCrypto exports it (`crypto.subtle.exportKey('jwk', publicKey)`). */
export interface EcPublicJwk {
	kty: 'EC';
	crv: 'P-256';
	x: string;
	y: string;
}

export interface DeviceRecord {
	chain: string;
	branch: string;
	role: Role;
	/** absent for devices registered by the CLI: they cannot refresh and get a new token from the CLI instead */
	publicKeyJwk?: EcPublicJwk;
	enrolledAt: string;
	revokedAt?: string;
	via: 'code' | 'cli';
}

export interface ChainRecord {
	createdAt: string;
	source: 'demo-seed' | 'cli';
}

export interface CodeRecord {
	chain: string;
	branch: string;
	role: Role;
	createdAt: string;
	expiresAt: string;
	/** device id of the owner who made it, or "cli" */
	createdBy: string;
	usedAt?: string;
	usedBy?: string;
}

export interface RegistryState {
	version: 1;
	chains: Record<string, ChainRecord>;
	devices: Record<string, DeviceRecord>;
	/** keyed by HMAC-SHA256(relay secret, code), hex */
	codes: Record<string, CodeRecord>;
}

export class RegistryError extends Error {
	override name = 'RegistryError';
}

/** Where the registry lives: DATA_DIR/devices.json (below) or PostgreSQL (scale/shared-auth.ts). */
export interface Registry {
	/** The current registry (read-only view; change it through `update`). */
	read(): Promise<Readonly<RegistryState>>;
	device(id: string): Promise<DeviceRecord | undefined>;
	/** Applies `mutate` to a fresh copy atomically; when `mutate` throws, nothing is written. */
	update<T>(mutate: (state: RegistryState) => T): Promise<T>;
}

export const emptyState = (): RegistryState => ({ version: 1, chains: {}, devices: {}, codes: {} });

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the shape we rely on; a damaged registry stops the relay rather than silently un-enrolling tills. */
export function parseState(text: string, file: string): RegistryState {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw new RegistryError(`${file} is not valid JSON; restore it from a backup`);
	}
	if (
		!isObject(raw) ||
		raw.version !== 1 ||
		!isObject(raw.chains) ||
		!isObject(raw.devices) ||
		!isObject(raw.codes)
	) {
		throw new RegistryError(`${file} is not a version 1 device registry; restore it from a backup`);
	}
	for (const [id, device] of Object.entries(raw.devices)) {
		if (
			!isSafeId(id) ||
			!isObject(device) ||
			!isSafeId(device.chain) ||
			!isSafeId(device.branch) ||
			!isRole(device.role)
		) {
			throw new RegistryError(`${file}: device "${id}" is malformed; restore the file from a backup`);
		}
	}
	return raw as unknown as RegistryState;
}

interface Stamp {
	mtimeMs: number;
	size: number;
	ino: number;
}

const sameStamp = (a: Stamp | null, b: Stamp | null) =>
	a !== null && b !== null && a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;

export class DeviceRegistry implements Registry {
	readonly file: string;
	#state: RegistryState = emptyState();
	#stamp: Stamp | null = null;
	/** serializes this process's writers; the lock file serializes processes */
	#writes: Promise<unknown> = Promise.resolve();

	private constructor(file: string) {
		this.file = file;
	}

	static async open(dataDir: string): Promise<DeviceRegistry> {
		const registry = new DeviceRegistry(path.join(dataDir, REGISTRY_FILE));
		await registry.#refresh();
		return registry;
	}

	async #statFile(): Promise<Stamp | null> {
		try {
			const s = await stat(this.file);
			return { mtimeMs: s.mtimeMs, size: s.size, ino: s.ino };
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw err;
		}
	}

	/** Re-reads the file when another process (the CLI) replaced it. */
	async #refresh(): Promise<void> {
		const stamp = await this.#statFile();
		if (stamp === null) {
			this.#state = emptyState();
			this.#stamp = null;
			return;
		}
		if (sameStamp(stamp, this.#stamp)) return;
		this.#state = parseState(await readFile(this.file, 'utf8'), this.file);
		this.#stamp = stamp;
	}

	/** The current registry (read-only view; change it through `update`). */
	async read(): Promise<Readonly<RegistryState>> {
		await this.#refresh();
		return this.#state;
	}

	async device(id: string): Promise<DeviceRecord | undefined> {
		const state = await this.read();
		return Object.hasOwn(state.devices, id) ? state.devices[id] : undefined;
	}

	/**
	 * Applies `mutate` to a fresh copy of the registry under the lock and writes the result atomically. When
	 * `mutate` throws, nothing is written and the error propagates.
	 */
	update<T>(mutate: (state: RegistryState) => T): Promise<T> {
		const run = () =>
			withFileLock(`${this.file}.lock`, async () => {
				await this.#refresh();
				const draft = structuredClone(this.#state);
				const result = mutate(draft);
				const tmp = `${this.file}.${process.pid}.tmp`;
				await writeFile(tmp, JSON.stringify(draft, null, '\t') + '\n', { mode: 0o600, flush: true });
				await rename(tmp, this.file);
				this.#state = draft;
				this.#stamp = await this.#statFile();
				return result;
			});
		const next = this.#writes.then(run, run);
		this.#writes = next.catch(() => undefined);
		return next;
	}
}
