/**
 * The till's side of enrolment and token refresh, using only fetch and WebCrypto
 * (runs in the browser and in Node). Used by the till's enrolment screen and by the relay's integration tests.
 *
 * 1. generate a non-extractable ECDSA P-256 key pair (store the CryptoKeyPair in IndexedDB: structured clone
 *    keeps it usable while the private key stays non-extractable);
 * 2. POST /api/enrol {code, deviceId, publicKeyJwk} -> {token, refreshAfter, expiresAt, claims};
 * 3. before refreshAfter (or after a 401 / close 4001), POST /api/token/refresh {deviceId, assertion} where
 *    assertion is a compact JWS (ES256) over {sub: deviceId, aud: 'branchline-relay/refresh', iat, jti}.
 */

export interface IssuedToken {
	token: string;
	refreshAfter: string;
	expiresAt: string;
	claims: { chain: string; branch: string; device: string; role: 'cashier' | 'manager' | 'owner' };
}

export class EnrolmentError extends Error {
	override name = 'EnrolmentError';
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

export function generateDeviceKeys(): Promise<CryptoKeyPair> {
	return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
}

async function post(relayUrl: string, pathname: string, body: unknown): Promise<IssuedToken> {
	const res = await fetch(new URL(pathname, relayUrl), {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body)
	});
	const json = (await res.json()) as IssuedToken & { error?: { message: string } };
	if (!res.ok) throw new EnrolmentError(res.status, json.error?.message ?? `HTTP ${res.status}`);
	return json;
}

export async function enrol(
	relayUrl: string,
	code: string,
	deviceId: string,
	keys: CryptoKeyPair
): Promise<IssuedToken> {
	const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
	// Send only the public members; the relay refuses a JWK with "d".
	const publicKeyJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
	return post(relayUrl, '/api/enrol', { code, deviceId, publicKeyJwk });
}

function base64url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The signed refresh request: a JWT the relay verifies with the public key it stored at enrolment. */
export async function refreshAssertion(
	deviceId: string,
	privateKey: CryptoKey,
	now = Date.now()
): Promise<string> {
	const json = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
	const header = json({ alg: 'ES256', typ: 'JWT' });
	const payload = json({
		sub: deviceId,
		aud: 'branchline-relay/refresh',
		iat: Math.floor(now / 1000),
		jti: crypto.randomUUID()
	});
	const signingInput = `${header}.${payload}`;
	// WebCrypto returns ECDSA signatures as r||s (64 bytes), which is exactly the JWS ES256 encoding.
	const signature = await crypto.subtle.sign(
		{ name: 'ECDSA', hash: 'SHA-256' },
		privateKey,
		new TextEncoder().encode(signingInput)
	);
	return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}

export async function refresh(relayUrl: string, deviceId: string, keys: CryptoKeyPair): Promise<IssuedToken> {
	return post(relayUrl, '/api/token/refresh', {
		deviceId,
		assertion: await refreshAssertion(deviceId, keys.privateKey)
	});
}
