import type { webcrypto } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { authorizeDocument, isSafeId, parseClaims } from './claims.js';
import type { EcPublicJwk } from './registry.js';
import {
	mintToken,
	parseEcPublicJwk,
	REFRESH_AUDIENCE,
	ReplayGuard,
	TokenError,
	verifyRefreshAssertion,
	verifyToken
} from './tokens.js';

const key = new Uint8Array(32).fill(7);
const claims = { chain: 'chain-1', branch: 'br-01', device: 'dev-1', role: 'cashier' as const };
const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);

/**
 * What a till does with WebCrypto alone (the recipe in docs/decisions/0009): a compact JWS, ES256, over
 * {sub, aud, iat, jti}. ECDSA signatures from WebCrypto are already r||s, the JWS encoding.
 */
async function tillAssertion(
	privateKey: webcrypto.CryptoKey,
	deviceId: string,
	iatSeconds: number,
	jti = crypto.randomUUID()
) {
	const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
	const text = (value: unknown) => b64(new TextEncoder().encode(JSON.stringify(value)));
	const signingInput = `${text({ alg: 'ES256', typ: 'JWT' })}.${text({ sub: deviceId, aud: REFRESH_AUDIENCE, iat: iatSeconds, jti })}`;
	const signature = await crypto.subtle.sign(
		{ name: 'ECDSA', hash: 'SHA-256' },
		privateKey,
		new TextEncoder().encode(signingInput)
	);
	return `${signingInput}.${b64(new Uint8Array(signature))}`;
}

async function tillKeys() {
	const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
		'sign',
		'verify'
	]);
	const jwk = parseEcPublicJwk(await crypto.subtle.exportKey('jwk', pair.publicKey)) as EcPublicJwk;
	return { privateKey: pair.privateKey, jwk };
}

describe('device tokens', () => {
	it('round-trips the claims with a 12 h lifetime and refresh at half-life', async () => {
		const issued = await mintToken(key, claims, { now: T0 });
		expect(issued.expiresAt).toBe('2026-11-27T20:00:00.000Z');
		expect(issued.refreshAfter).toBe('2026-11-27T14:00:00.000Z');
		expect(decodeJwt(issued.token)).toMatchObject({
			...claims,
			sub: 'dev-1',
			iss: 'branchline-relay',
			aud: 'branchline-sync'
		});
		const verified = await verifyToken(key, issued.token, T0 + 3600_000);
		expect(verified).toEqual({ claims, expiresAtMs: T0 + 12 * 3600_000 });
	});

	it.each([
		['missing', undefined, T0, 'missing'],
		['expired', 'valid', T0 + 12 * 3600_000 + 1000, 'expired'],
		['garbage', 'not-a-token', T0, 'invalid']
	])('refuses a %s token', async (_name, token, now, problem) => {
		const issued = await mintToken(key, claims, { now: T0 });
		const attempt = verifyToken(key, token === 'valid' ? issued.token : token, now);
		await expect(attempt).rejects.toBeInstanceOf(TokenError);
		await expect(attempt).rejects.toMatchObject({ problem });
	});

	it('refuses a token signed with another secret, or with altered claims', async () => {
		const issued = await mintToken(new Uint8Array(32).fill(8), claims, { now: T0 });
		await expect(verifyToken(key, issued.token, T0)).rejects.toMatchObject({ problem: 'invalid' });
		const [header, , signature] = (await mintToken(key, claims, { now: T0 })).token.split('.');
		const forged = Buffer.from(JSON.stringify({ ...claims, role: 'owner', sub: 'dev-1' })).toString(
			'base64url'
		);
		await expect(verifyToken(key, `${header}.${forged}.${signature}`, T0)).rejects.toMatchObject({
			problem: 'invalid'
		});
	});

	it('refuses a correctly signed token with malformed claims', async () => {
		const token = await new SignJWT({ chain: 'c', branch: 'b', device: 'd', role: 'root' })
			.setProtectedHeader({ alg: 'HS256' })
			.setSubject('d')
			.setIssuer('branchline-relay')
			.setAudience('branchline-sync')
			.setExpirationTime(Math.floor(T0 / 1000) + 60)
			.sign(key);
		await expect(verifyToken(key, token, T0)).rejects.toThrow(/claims are malformed/);
	});

	it('limits lifetimes', async () => {
		await expect(mintToken(key, claims, { ttlSeconds: 10 })).rejects.toThrow(TokenError);
		await expect(mintToken(key, claims, { ttlSeconds: 91 * 86400 })).rejects.toThrow(TokenError);
	});
});

describe('claims and access', () => {
	it('validates ids with protocol.ts rules', () => {
		expect(isSafeId('br-01')).toBe(true);
		expect(isSafeId('dev_B01-T1')).toBe(true);
		for (const bad of ['', 'a/b', 'a b', '分店', 'x'.repeat(65), 7, null]) expect(isSafeId(bad)).toBe(false);
		expect(parseClaims({ ...claims, sub: 'dev-1' })).toEqual(claims);
		expect(parseClaims({ ...claims, sub: 'someone-else' })).toBeUndefined();
		expect(parseClaims({ ...claims, role: 'admin' })).toBeUndefined();
	});

	it.each([
		['chain-1/ledger/3/202611', claims, 'write'],
		['chain-1/members/63', claims, 'write'],
		['chain-1/catalog/2', claims, 'read'],
		['chain-1/config', claims, 'read'],
		['chain-1/config', { ...claims, role: 'manager' as const }, 'write'],
		['chain-1/branch/br-01/202611', claims, 'write'],
		['chain-1/branch/br-02/202611', claims, 'outside the token scope'],
		['chain-1/branch/br-02/202611', { ...claims, role: 'owner' as const }, 'read'],
		['chain-2/config', { ...claims, role: 'owner' as const }, 'outside the token scope'],
		['chain-1/catalog/16', claims, 'invalid document name'],
		['chain-1/ledger/3/2026-11', claims, 'invalid document name'],
		['chain-1/../chain-2/config', claims, 'invalid document name'],
		['', claims, 'invalid document name']
	])('%s for %j -> %s', (name, who, expected) => {
		const decision = authorizeDocument(who, name);
		expect(decision.ok ? decision.access : decision.reason).toBe(expected);
	});
});

describe('refresh assertions', () => {
	it('accepts an assertion made with plain WebCrypto, once', async () => {
		const { privateKey, jwk } = await tillKeys();
		const replay = new ReplayGuard();
		const assertion = await tillAssertion(privateKey, 'dev-1', Math.floor(T0 / 1000));
		await expect(
			verifyRefreshAssertion(assertion, jwk, 'dev-1', replay, T0 + 10_000)
		).resolves.toBeUndefined();
		await expect(verifyRefreshAssertion(assertion, jwk, 'dev-1', replay, T0 + 20_000)).rejects.toThrow(
			/already used/
		);
	});

	it.each([
		['stale', -400, 'dev-1', /stale/],
		['from the future', +300, 'dev-1', /stale|future/],
		['for another device', 0, 'dev-2', /not valid for this device/]
	])('refuses an assertion that is %s', async (_name, skewSeconds, claimedDevice, reason) => {
		const { privateKey, jwk } = await tillKeys();
		const assertion = await tillAssertion(privateKey, 'dev-1', Math.floor(T0 / 1000) + skewSeconds);
		await expect(
			verifyRefreshAssertion(assertion, jwk, claimedDevice, new ReplayGuard(), T0)
		).rejects.toThrow(reason);
	});

	it('refuses an assertion signed by another key', async () => {
		const mine = await tillKeys();
		const thief = await tillKeys();
		const assertion = await tillAssertion(thief.privateKey, 'dev-1', Math.floor(T0 / 1000));
		await expect(verifyRefreshAssertion(assertion, mine.jwk, 'dev-1', new ReplayGuard(), T0)).rejects.toThrow(
			/not valid for this device/
		);
	});

	it('accepts only public P-256 keys', async () => {
		const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
			'sign',
			'verify'
		]);
		const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
		expect(parseEcPublicJwk(publicJwk)).toMatchObject({ kty: 'EC', crv: 'P-256' });
		expect(parseEcPublicJwk(await crypto.subtle.exportKey('jwk', pair.privateKey))).toBeUndefined();
		expect(parseEcPublicJwk({ ...publicJwk, crv: 'P-384' })).toBeUndefined();
		expect(parseEcPublicJwk('key')).toBeUndefined();
	});
});
