/**
 * Device enrolment and authentication, on top of the registry and the token functions:
 * - an owner creates a one-time 8-digit enrolment code for a branch and role (valid 24 h, single use);
 * - a till enrols with the code, its device id and its public key, and receives a token;
 * - a till refreshes with an assertion signed by its private key;
 * - an owner lists and revokes devices; the CLI registers devices and mints tokens directly.
 * Every authentication checks the registry too, so a revoked device is refused at once.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { DeviceClaims, Role } from '../protocol.js';
import { isRole, isSafeId, sameClaims } from './claims.js';
import { type DeviceRecord, type EcPublicJwk, type Registry, type RegistryState } from './registry.js';
import {
	DEFAULT_TOKEN_TTL_S,
	isUsablePublicKey,
	mintToken,
	parseEcPublicJwk,
	ReplayGuard,
	TokenError,
	verifyRefreshAssertion,
	verifyToken,
	type IssuedToken,
	type VerifiedToken
} from './tokens.js';

export const CODE_TTL_MS = 24 * 3600 * 1000;
/** Used and expired codes are kept this long for the audit trail, then pruned. */
const CODE_RETENTION_MS = 7 * 24 * 3600 * 1000;

export type DeviceProblem = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'gone';

/** A refusal with the HTTP status the API answers it with. */
export class DeviceError extends Error {
	override name = 'DeviceError';
	constructor(
		readonly problem: DeviceProblem,
		message: string
	) {
		super(message);
	}

	get status(): number {
		const statuses: Record<DeviceProblem, number> = {
			'bad-request': 400,
			unauthorized: 401,
			forbidden: 403,
			'not-found': 404,
			conflict: 409,
			gone: 410
		};
		return statuses[this.problem];
	}
}

export interface Authenticated extends VerifiedToken {
	record: DeviceRecord;
}

export interface DeviceSummary {
	deviceId: string;
	chain: string;
	branch: string;
	role: Role;
	via: 'code' | 'cli';
	enrolledAt: string;
	revokedAt: string | null;
	publicKeyJwk: EcPublicJwk | null;
}

export interface DeviceServiceOptions {
	now?: () => number;
	tokenTtlSeconds?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function pruneCodes(state: RegistryState, now: number): void {
	for (const [hash, code] of Object.entries(state.codes)) {
		if (Date.parse(code.expiresAt) + CODE_RETENTION_MS < now) delete state.codes[hash];
	}
}

export class DeviceService {
	readonly registry: Registry;
	readonly #key: Uint8Array;
	readonly #now: () => number;
	readonly #ttl: number;
	readonly #replay = new ReplayGuard();

	constructor(registry: Registry, key: Uint8Array, options: DeviceServiceOptions = {}) {
		this.registry = registry;
		this.#key = key;
		this.#now = options.now ?? Date.now;
		this.#ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_S;
	}

	#hashCode(code: string): string {
		return createHmac('sha256', this.#key).update(`enrolment-code:${code}`).digest('hex');
	}

	#mint(claims: DeviceClaims, ttlSeconds = this.#ttl): Promise<IssuedToken> {
		return mintToken(this.#key, claims, { ttlSeconds, now: this.#now() });
	}

	/** A valid token of a device that is registered, not revoked, and still has the token's chain/branch/role. */
	async authenticate(token: string | undefined): Promise<Authenticated> {
		let verified: VerifiedToken;
		try {
			verified = await verifyToken(this.#key, token, this.#now());
		} catch (err) {
			if (err instanceof TokenError) throw new DeviceError('unauthorized', err.message);
			throw err;
		}
		const record = await this.registry.device(verified.claims.device);
		if (!record) throw new DeviceError('unauthorized', 'device is not enrolled at this relay');
		if (record.revokedAt) throw new DeviceError('unauthorized', 'device was revoked');
		const current: DeviceClaims = {
			...verified.claims,
			chain: record.chain,
			branch: record.branch,
			role: record.role
		};
		if (!sameClaims(current, verified.claims)) {
			throw new DeviceError('unauthorized', 'device token is out of date; refresh it');
		}
		return { ...verified, record };
	}

	async authenticateOwner(token: string | undefined): Promise<Authenticated> {
		const auth = await this.authenticate(token);
		if (auth.claims.role !== 'owner') throw new DeviceError('forbidden', 'only an owner token may do this');
		return auth;
	}

	async createEnrolmentCode(
		createdBy: { chain: string; device: string },
		branch: unknown,
		role: unknown
	): Promise<{ code: string; expiresAt: string; chain: string; branch: string; role: Role }> {
		if (!isSafeId(branch))
			throw new DeviceError('bad-request', 'branch must be a branch id (letters, digits, _ or -)');
		if (!isRole(role)) throw new DeviceError('bad-request', 'role must be cashier, manager or owner');
		const now = this.#now();
		return this.registry.update((state) => {
			if (!Object.hasOwn(state.chains, createdBy.chain)) {
				throw new DeviceError('not-found', `chain ${createdBy.chain} is not served by this relay`);
			}
			pruneCodes(state, now);
			let code: string;
			do code = String(randomInt(0, 100_000_000)).padStart(8, '0');
			while (Object.hasOwn(state.codes, this.#hashCode(code)));
			const expiresAt = iso(now + CODE_TTL_MS);
			state.codes[this.#hashCode(code)] = {
				chain: createdBy.chain,
				branch,
				role,
				createdAt: iso(now),
				expiresAt,
				createdBy: createdBy.device
			};
			return { code, expiresAt, chain: createdBy.chain, branch, role };
		});
	}

	/** Trades a one-time code for a registered device and its first token. */
	async enrol(body: { code?: unknown; deviceId?: unknown; publicKeyJwk?: unknown }): Promise<IssuedToken> {
		const { code, deviceId } = body;
		if (typeof code !== 'string' || !/^\d{8}$/.test(code))
			throw new DeviceError('bad-request', 'code must be 8 digits');
		if (!isSafeId(deviceId))
			throw new DeviceError('bad-request', 'deviceId must be 1-64 letters, digits, _ or -');
		const publicKeyJwk = parseEcPublicJwk(body.publicKeyJwk);
		if (!publicKeyJwk || !(await isUsablePublicKey(publicKeyJwk))) {
			throw new DeviceError(
				'bad-request',
				'publicKeyJwk must be the ECDSA P-256 public key (JWK) of the till'
			);
		}
		const now = this.#now();
		const hash = this.#hashCode(code);
		const claims = await this.registry.update((state): DeviceClaims => {
			const entry = state.codes[hash];
			if (!entry)
				throw new DeviceError('not-found', 'unknown enrolment code; check the digits or ask for a new code');
			if (Date.parse(entry.expiresAt) <= now)
				throw new DeviceError('gone', 'enrolment code expired; ask for a new one');
			const existing = Object.hasOwn(state.devices, deviceId) ? state.devices[deviceId] : undefined;
			const sameKey =
				existing?.publicKeyJwk?.x === publicKeyJwk.x && existing.publicKeyJwk.y === publicKeyJwk.y;
			if (entry.usedAt) {
				// The till lost the answer and retries: same code, same device, same key gets a fresh token.
				if (entry.usedBy === deviceId && existing && sameKey && !existing.revokedAt) {
					return { chain: existing.chain, branch: existing.branch, device: deviceId, role: existing.role };
				}
				throw new DeviceError('gone', 'enrolment code was already used; ask for a new one');
			}
			if (existing) {
				throw new DeviceError(
					'conflict',
					`device id ${deviceId} is already enrolled; the till must use a new id`
				);
			}
			entry.usedAt = iso(now);
			entry.usedBy = deviceId;
			state.devices[deviceId] = {
				chain: entry.chain,
				branch: entry.branch,
				role: entry.role,
				publicKeyJwk,
				enrolledAt: iso(now),
				via: 'code'
			};
			return { chain: entry.chain, branch: entry.branch, device: deviceId, role: entry.role };
		});
		return this.#mint(claims);
	}

	/** A fresh token for a device that proves possession of its enrolled key. */
	async refresh(body: { deviceId?: unknown; assertion?: unknown }): Promise<IssuedToken> {
		const { deviceId, assertion } = body;
		if (!isSafeId(deviceId))
			throw new DeviceError('bad-request', 'deviceId must be 1-64 letters, digits, _ or -');
		if (typeof assertion !== 'string' || assertion.length > 4096) {
			throw new DeviceError('bad-request', 'assertion must be a JWT signed with the device key');
		}
		const record = await this.registry.device(deviceId);
		if (!record) throw new DeviceError('unauthorized', 'device is not enrolled at this relay');
		if (record.revokedAt) throw new DeviceError('unauthorized', 'device was revoked');
		if (!record.publicKeyJwk) {
			throw new DeviceError(
				'conflict',
				'device has no enrolled key (CLI device); mint a new token with the CLI'
			);
		}
		try {
			await verifyRefreshAssertion(assertion, record.publicKeyJwk, deviceId, this.#replay, this.#now());
		} catch (err) {
			if (err instanceof TokenError) throw new DeviceError('unauthorized', err.message);
			throw err;
		}
		return this.#mint({ chain: record.chain, branch: record.branch, device: deviceId, role: record.role });
	}

	/** Marks a device of the owner's chain revoked (idempotent). The caller closes its sockets. */
	async revoke(owner: DeviceClaims, deviceId: string): Promise<DeviceSummary> {
		const now = this.#now();
		return this.registry.update((state) => {
			const record = Object.hasOwn(state.devices, deviceId) ? state.devices[deviceId] : undefined;
			if (!record || record.chain !== owner.chain)
				throw new DeviceError('not-found', `no device ${deviceId} in this chain`);
			record.revokedAt ??= iso(now);
			return summary(deviceId, record);
		});
	}

	async list(chain: string): Promise<DeviceSummary[]> {
		const state = await this.registry.read();
		return Object.entries(state.devices)
			.filter(([, record]) => record.chain === chain)
			.map(([id, record]) => summary(id, record))
			.sort((a, b) => a.enrolledAt.localeCompare(b.enrolledAt) || a.deviceId.localeCompare(b.deviceId));
	}

	/** Records a chain this relay serves (the demo chain on first start, a real chain through the CLI). */
	async ensureChain(chain: string, source: 'demo-seed' | 'cli'): Promise<boolean> {
		if (!isSafeId(chain)) throw new DeviceError('bad-request', `chain id "${chain}" is not valid`);
		if (Object.hasOwn((await this.registry.read()).chains, chain)) return false;
		return this.registry.update((state) => {
			if (Object.hasOwn(state.chains, chain)) return false;
			state.chains[chain] = { createdAt: iso(this.#now()), source };
			return true;
		});
	}

	/** Refuses a chain this relay does not serve (the CLI's guard against typos in --chain). */
	async ensureChainKnown(chain: string): Promise<void> {
		const state = await this.registry.read();
		if (!Object.hasOwn(state.chains, chain)) {
			const known = Object.keys(state.chains).join(', ') || 'none yet';
			throw new DeviceError('not-found', `chain ${chain} is unknown (known: ${known})`);
		}
	}

	/**
	 * The CLI's path: registers (or re-uses) a device with exactly these claims and mints a token. A new chain
	 * must be asked for explicitly, so a typo in --chain cannot start a second, empty chain.
	 */
	async registerAndMint(claims: DeviceClaims, options: { ttlSeconds?: number; newChain?: boolean } = {}) {
		const now = this.#now();
		await this.registry.update((state) => {
			if (!Object.hasOwn(state.chains, claims.chain)) {
				if (!options.newChain) {
					const known = Object.keys(state.chains).join(', ') || 'none yet';
					throw new DeviceError(
						'not-found',
						`chain ${claims.chain} is unknown (known: ${known}); add --new-chain to create it`
					);
				}
				state.chains[claims.chain] = { createdAt: iso(now), source: 'cli' };
			}
			const existing = Object.hasOwn(state.devices, claims.device) ? state.devices[claims.device] : undefined;
			if (existing?.revokedAt)
				throw new DeviceError('conflict', `device ${claims.device} was revoked; use a new id`);
			if (existing && !sameClaims({ ...claims, ...existing, device: claims.device }, claims)) {
				throw new DeviceError(
					'conflict',
					`device ${claims.device} is enrolled as ${existing.chain}/${existing.branch}/${existing.role}`
				);
			}
			if (!existing) {
				state.devices[claims.device] = {
					chain: claims.chain,
					branch: claims.branch,
					role: claims.role,
					enrolledAt: iso(now),
					via: 'cli'
				};
			}
		});
		return this.#mint(claims, options.ttlSeconds);
	}
}

function summary(deviceId: string, record: DeviceRecord): DeviceSummary {
	return {
		deviceId,
		chain: record.chain,
		branch: record.branch,
		role: record.role,
		via: record.via,
		enrolledAt: record.enrolledAt,
		revokedAt: record.revokedAt ?? null,
		publicKeyJwk: record.publicKeyJwk ?? null
	};
}
