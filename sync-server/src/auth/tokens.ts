/**
 * Device tokens and refresh assertions.
 *
 * Device token: a JWT (JWS compact, HS256 with the relay secret) carrying protocol.ts's DeviceClaims:
 *   header  {"alg":"HS256","typ":"JWT"}
 *   payload {"chain","branch","device","role","sub":device,"iss":"branchline-relay","aud":"branchline-sync",
 *            "iat","exp","jti"}
 * It expires (12 h by default) so revocation bites even for a copied token; the relay also checks the device
 * registry on every use, so a revoked device is refused at once.
 *
 * Refresh assertion: a JWT the device signs with its own ECDSA P-256 private key (ES256, WebCrypto; the key
 * never leaves the till): payload {"sub":deviceId,"aud":"branchline-relay/refresh","iat","jti"}. The relay
 * verifies it with the public key registered at enrolment and refuses it when older than 5 minutes or replayed.
 */
import { randomUUID } from 'node:crypto';
import { errors, importJWK, jwtVerify, SignJWT } from 'jose';
import type { DeviceClaims } from '../protocol.js';
import { parseClaims } from './claims.js';
import type { EcPublicJwk } from './registry.js';

export const TOKEN_ISSUER = 'branchline-relay';
export const TOKEN_AUDIENCE = 'branchline-sync';
export const REFRESH_AUDIENCE = 'branchline-relay/refresh';
export const DEFAULT_TOKEN_TTL_S = 12 * 3600;
export const MAX_TOKEN_TTL_S = 90 * 24 * 3600;
/** How old a refresh assertion may be, and how far clocks may disagree. */
export const ASSERTION_MAX_AGE_S = 300;
export const CLOCK_TOLERANCE_S = 60;

export type TokenProblem = 'missing' | 'expired' | 'invalid';

export class TokenError extends Error {
	override name = 'TokenError';
	constructor(
		readonly problem: TokenProblem,
		message: string
	) {
		super(message);
	}
}

export interface IssuedToken {
	token: string;
	/** ISO time after which the till should refresh (half the lifetime) */
	refreshAfter: string;
	expiresAt: string;
	claims: DeviceClaims;
}

export interface VerifiedToken {
	claims: DeviceClaims;
	expiresAtMs: number;
}

export async function mintToken(
	key: Uint8Array,
	claims: DeviceClaims,
	{ ttlSeconds = DEFAULT_TOKEN_TTL_S, now = Date.now() }: { ttlSeconds?: number; now?: number } = {}
): Promise<IssuedToken> {
	if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > MAX_TOKEN_TTL_S) {
		throw new TokenError('invalid', `token lifetime must be between 60 s and ${MAX_TOKEN_TTL_S} s`);
	}
	const iat = Math.floor(now / 1000);
	const exp = iat + ttlSeconds;
	const token = await new SignJWT({ ...claims })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setSubject(claims.device)
		.setIssuer(TOKEN_ISSUER)
		.setAudience(TOKEN_AUDIENCE)
		.setIssuedAt(iat)
		.setExpirationTime(exp)
		.setJti(randomUUID())
		.sign(key);
	return {
		token,
		refreshAfter: new Date((iat + Math.floor(ttlSeconds / 2)) * 1000).toISOString(),
		expiresAt: new Date(exp * 1000).toISOString(),
		claims: { ...claims }
	};
}

/** Verifies signature, issuer, audience and expiry, then the claims' shape. Throws TokenError. */
export async function verifyToken(
	key: Uint8Array,
	token: string | undefined,
	now = Date.now()
): Promise<VerifiedToken> {
	if (!token) throw new TokenError('missing', 'no device token');
	let payload: Record<string, unknown>;
	try {
		({ payload } = await jwtVerify(token, key, {
			algorithms: ['HS256'],
			issuer: TOKEN_ISSUER,
			audience: TOKEN_AUDIENCE,
			requiredClaims: ['exp', 'sub'],
			currentDate: new Date(now)
		}));
	} catch (err) {
		if (err instanceof errors.JWTExpired) throw new TokenError('expired', 'device token expired; refresh it');
		throw new TokenError('invalid', 'device token is not valid for this relay');
	}
	const claims = parseClaims(payload);
	if (!claims) throw new TokenError('invalid', 'device token claims are malformed');
	return { claims, expiresAtMs: (payload.exp as number) * 1000 };
}

const B64URL_P256 = /^[A-Za-z0-9_-]{43}$/;

/** An EC P-256 *public* JWK (a private key, with "d", is refused: it must never leave the till). */
export function parseEcPublicJwk(value: unknown): EcPublicJwk | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const jwk = value as Record<string, unknown>;
	if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || 'd' in jwk) return undefined;
	if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return undefined;
	if (!B64URL_P256.test(jwk.x) || !B64URL_P256.test(jwk.y)) return undefined;
	return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** True when the key is a point on P-256 (importing fails otherwise). */
export async function isUsablePublicKey(jwk: EcPublicJwk): Promise<boolean> {
	try {
		await importJWK({ ...jwk }, 'ES256');
		return true;
	} catch {
		return false;
	}
}

/** Remembers assertion ids until they are too old to be accepted anyway. */
export class ReplayGuard {
	#seen = new Map<string, number>();

	/** false when `jti` was already used */
	remember(jti: string, now = Date.now()): boolean {
		for (const [id, until] of this.#seen) {
			if (until > now) break; // insertion order is expiry order
			this.#seen.delete(id);
		}
		if (this.#seen.has(jti)) return false;
		this.#seen.set(jti, now + (ASSERTION_MAX_AGE_S + 2 * CLOCK_TOLERANCE_S) * 1000);
		return true;
	}
}

/** Verifies a refresh assertion signed by `deviceId`'s registered key. Throws TokenError. */
export async function verifyRefreshAssertion(
	assertion: string,
	publicKeyJwk: EcPublicJwk,
	deviceId: string,
	replay: ReplayGuard,
	now = Date.now()
): Promise<void> {
	let payload: Record<string, unknown>;
	try {
		const key = await importJWK({ ...publicKeyJwk }, 'ES256');
		({ payload } = await jwtVerify(assertion, key, {
			algorithms: ['ES256'],
			audience: REFRESH_AUDIENCE,
			subject: deviceId,
			maxTokenAge: ASSERTION_MAX_AGE_S,
			clockTolerance: CLOCK_TOLERANCE_S,
			requiredClaims: ['iat', 'jti', 'sub'],
			currentDate: new Date(now)
		}));
	} catch (err) {
		if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iat') {
			throw new TokenError('expired', 'refresh request is stale or from the future; check the till clock');
		}
		if (err instanceof errors.JWTExpired) throw new TokenError('expired', 'refresh request is stale');
		throw new TokenError('invalid', 'refresh request signature is not valid for this device');
	}
	if (typeof payload.jti !== 'string' || payload.jti.length > 128 || !replay.remember(payload.jti, now)) {
		throw new TokenError('invalid', 'refresh request was already used');
	}
}
