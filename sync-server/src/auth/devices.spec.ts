import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceError, DeviceService } from './devices.js';
import { DeviceRegistry, RegistryError, type EcPublicJwk } from './registry.js';
import { loadOrCreateSecret } from './secret.js';
import { parseEcPublicJwk, REFRESH_AUDIENCE } from './tokens.js';
import { SignJWT } from 'jose';

let dataDir: string;
let clock: number;
const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);

async function service() {
	const { key } = await loadOrCreateSecret(dataDir);
	return new DeviceService(await DeviceRegistry.open(dataDir), key, { now: () => clock });
}

async function tillKeys() {
	const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
		'sign',
		'verify'
	]);
	const jwk = parseEcPublicJwk(await crypto.subtle.exportKey('jwk', pair.publicKey)) as EcPublicJwk;
	const assertion = (deviceId: string) =>
		new SignJWT({})
			.setProtectedHeader({ alg: 'ES256' })
			.setSubject(deviceId)
			.setAudience(REFRESH_AUDIENCE)
			.setIssuedAt(Math.floor(clock / 1000))
			.setJti(crypto.randomUUID())
			.sign(pair.privateKey);
	return { jwk, assertion };
}

beforeEach(() => {
	dataDir = mkdtempSync(path.join(tmpdir(), 'branchline-devices-'));
	clock = T0;
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('relay secret', () => {
	it('is created once, 0600, and then reused', async () => {
		const first = await loadOrCreateSecret(dataDir);
		const again = await loadOrCreateSecret(dataDir);
		expect(first.created).toBe(true);
		expect(again.created).toBe(false);
		expect(again.key).toEqual(first.key);
		expect(first.key.length).toBe(32);
		expect(statSync(path.join(dataDir, 'relay-secret')).mode & 0o777).toBe(0o600);
	});

	it('agrees on one secret when created concurrently', async () => {
		const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecret(dataDir)));
		expect(keys.filter((k) => k.created)).toHaveLength(1);
		for (const k of keys) expect(k.key).toEqual(keys[0]?.key);
	});
});

describe('enrolment', () => {
	async function ownerOf(devices: DeviceService) {
		await devices.ensureChain('chain-1', 'cli');
		const issued = await devices.registerAndMint({
			chain: 'chain-1',
			branch: 'br-01',
			device: 'owner-1',
			role: 'owner'
		});
		return (await devices.authenticateOwner(issued.token)).claims;
	}

	it('turns a one-time code into a device and a token, then refreshes with the device key', async () => {
		const devices = await service();
		const owner = await ownerOf(devices);
		const code = await devices.createEnrolmentCode(owner, 'br-02', 'cashier');
		expect(code.code).toMatch(/^\d{8}$/);
		expect(code.expiresAt).toBe('2026-11-28T08:00:00.000Z');
		expect(readFileSync(path.join(dataDir, 'devices.json'), 'utf8')).not.toContain(code.code);

		const till = await tillKeys();
		const issued = await devices.enrol({ code: code.code, deviceId: 'dev-B02-T1', publicKeyJwk: till.jwk });
		expect(issued.claims).toEqual({
			chain: 'chain-1',
			branch: 'br-02',
			device: 'dev-B02-T1',
			role: 'cashier'
		});
		expect((await devices.authenticate(issued.token)).record).toMatchObject({
			via: 'code',
			publicKeyJwk: till.jwk
		});

		clock += 11 * 3600_000;
		const refreshed = await devices.refresh({
			deviceId: 'dev-B02-T1',
			assertion: await till.assertion('dev-B02-T1')
		});
		expect(refreshed.claims).toEqual(issued.claims);
		expect(Date.parse(refreshed.expiresAt)).toBeGreaterThan(Date.parse(issued.expiresAt));
	});

	it('uses each code once, lets the same till retry, and expires codes after 24 h', async () => {
		const devices = await service();
		const owner = await ownerOf(devices);
		const { code } = await devices.createEnrolmentCode(owner, 'br-01', 'manager');
		const till = await tillKeys();
		await devices.enrol({ code, deviceId: 'dev-1', publicKeyJwk: till.jwk });
		// The answer got lost: the same till retries with the same code and key.
		await expect(devices.enrol({ code, deviceId: 'dev-1', publicKeyJwk: till.jwk })).resolves.toMatchObject({
			claims: { device: 'dev-1', role: 'manager' }
		});
		const other = await tillKeys();
		await expect(devices.enrol({ code, deviceId: 'dev-2', publicKeyJwk: other.jwk })).rejects.toMatchObject({
			status: 410
		});

		const late = await devices.createEnrolmentCode(owner, 'br-01', 'cashier');
		clock += 24 * 3600_000;
		await expect(
			devices.enrol({ code: late.code, deviceId: 'dev-3', publicKeyJwk: other.jwk })
		).rejects.toThrow(/expired/);
	});

	it.each([
		[{ code: '1234', deviceId: 'd', publicKeyJwk: {} }, /8 digits/],
		[{ code: '12345678', deviceId: 'a/b', publicKeyJwk: {} }, /deviceId/],
		[
			{
				code: '12345678',
				deviceId: 'd',
				publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) }
			},
			/publicKeyJwk/
		],
		[{ code: '00000000', deviceId: 'd', publicKeyJwk: 'use-real' }, /unknown enrolment code/]
	])('refuses bad enrolment %#', async (body, reason) => {
		const devices = await service();
		const publicKeyJwk = body.publicKeyJwk === 'use-real' ? (await tillKeys()).jwk : body.publicKeyJwk;
		await expect(devices.enrol({ ...body, publicKeyJwk })).rejects.toThrow(reason);
	});

	it('refuses an enrolled device id with another key', async () => {
		const devices = await service();
		const owner = await ownerOf(devices);
		const first = await devices.createEnrolmentCode(owner, 'br-01', 'cashier');
		const second = await devices.createEnrolmentCode(owner, 'br-01', 'cashier');
		await devices.enrol({ code: first.code, deviceId: 'dev-1', publicKeyJwk: (await tillKeys()).jwk });
		await expect(
			devices.enrol({ code: second.code, deviceId: 'dev-1', publicKeyJwk: (await tillKeys()).jwk })
		).rejects.toMatchObject({ status: 409 });
	});

	it('only lets owners of the chain make codes, list and revoke', async () => {
		const devices = await service();
		const owner = await ownerOf(devices);
		clock += 1000;
		const cashier = await devices.registerAndMint({
			chain: 'chain-1',
			branch: 'br-01',
			device: 'c-1',
			role: 'cashier'
		});
		await expect(devices.authenticateOwner(cashier.token)).rejects.toMatchObject({ status: 403 });
		await expect(devices.createEnrolmentCode(owner, 'br-01', 'root')).rejects.toThrow(/role/);
		await expect(devices.revoke({ ...owner, chain: 'chain-2' }, 'c-1')).rejects.toMatchObject({
			status: 404
		});
		expect((await devices.list('chain-1')).map((d) => d.deviceId)).toEqual(['owner-1', 'c-1']);
	});

	it('refuses a revoked device at once, for its token and its refresh', async () => {
		const devices = await service();
		const owner = await ownerOf(devices);
		const { code } = await devices.createEnrolmentCode(owner, 'br-01', 'cashier');
		const till = await tillKeys();
		const issued = await devices.enrol({ code, deviceId: 'dev-1', publicKeyJwk: till.jwk });
		const revoked = await devices.revoke(owner, 'dev-1');
		expect(revoked.revokedAt).toBe(new Date(T0).toISOString());
		await expect(devices.authenticate(issued.token)).rejects.toThrow(/revoked/);
		await expect(
			devices.refresh({ deviceId: 'dev-1', assertion: await till.assertion('dev-1') })
		).rejects.toThrow(/revoked/);
	});
});

describe('registry shared by two processes', () => {
	it('sees devices the CLI registered while the relay runs, and loses no concurrent writes', async () => {
		const relay = await service();
		const cli = await service();
		await relay.ensureChain('chain-1', 'demo-seed');
		await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				(i % 2 ? relay : cli).registerAndMint({
					chain: 'chain-1',
					branch: 'br-01',
					device: `d-${i}`,
					role: 'cashier'
				})
			)
		);
		expect((await relay.list('chain-1')).map((d) => d.deviceId).sort()).toEqual(
			Array.from({ length: 10 }, (_, i) => `d-${i}`).sort()
		);
		const issued = await cli.registerAndMint({
			chain: 'chain-1',
			branch: 'br-09',
			device: 'late',
			role: 'manager'
		});
		await expect(relay.authenticate(issued.token)).resolves.toMatchObject({ claims: { device: 'late' } });
	});

	it('guards the CLI against unknown chains and conflicting re-registration', async () => {
		const devices = await service();
		const claims = { chain: 'chian-typo', branch: 'br-01', device: 'o-1', role: 'owner' as const };
		await expect(devices.registerAndMint(claims)).rejects.toThrow(/--new-chain/);
		await devices.registerAndMint(claims, { newChain: true });
		await expect(devices.registerAndMint({ ...claims, role: 'cashier' })).rejects.toBeInstanceOf(DeviceError);
	});

	it('refuses to start on a damaged registry instead of forgetting every till', async () => {
		writeFileSync(path.join(dataDir, 'devices.json'), '{"version":1,"chains":{}');
		await expect(DeviceRegistry.open(dataDir)).rejects.toBeInstanceOf(RegistryError);
	});
});
