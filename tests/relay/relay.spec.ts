/**
 * The relay end to end: a real sync-server process, real y-websocket clients in Node.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	api,
	CHAIN,
	connect,
	disconnectAll,
	eventually,
	killAllRelays,
	mintToken,
	ROOT,
	startRelay,
	upgradeStatus,
	type RelayProcess
} from './harness.js';
import { enrol, EnrolmentError, generateDeviceKeys, refresh } from '../../src/lib/sync/enrolClient';
import { MESSAGE_QUERY_STATE_VECTOR } from '../../src/lib/sync/protocol';

let relay: RelayProcess;
let owner: string;
let cashier: string;
let cashier2: string;
const LEDGER = `${CHAIN}/ledger/7/202611`;

beforeAll(async () => {
	relay = await startRelay();
	[owner, cashier, cashier2] = await Promise.all([
		mintToken(relay.dataDir, { chain: CHAIN, branch: 'br-01', device: 'owner-1', role: 'owner' }),
		mintToken(relay.dataDir, { chain: CHAIN, branch: 'br-01', device: 'till-1', role: 'cashier' }),
		mintToken(relay.dataDir, { chain: CHAIN, branch: 'br-01', device: 'till-2', role: 'cashier' })
	]);
}, 20_000);

afterAll(async () => {
	disconnectAll();
	await relay?.stop();
	killAllRelays();
});

interface Metrics {
	connections: number;
	roomsLoaded: number;
	updatesApplied: number;
	updatesRejected: number;
	readOnlyDropped: number;
	rssMb: number;
	heapUsedMb: number;
	uptimeS: number;
}
const metrics = async () => (await api(relay, 'GET', '/metrics')).body as unknown as Metrics;

describe('sync', () => {
	it('syncs a permitted document between two tills through the relay', async () => {
		const a = connect(relay, `${CHAIN}/branch/br-01/202611`, cashier);
		await a.synced();
		a.doc.getMap('records').set('sales/s1', { id: 's1', total: 12900 });
		const b = connect(relay, `${CHAIN}/branch/br-01/202611`, cashier2);
		await b.synced();
		await eventually(() => b.doc.getMap('records').has('sales/s1'), 3000, 'b to receive the sale');
		b.doc.getMap('records').set('sales/s2', { id: 's2', total: 500 });
		await eventually(() => a.doc.getMap('records').has('sales/s2'), 3000, 'a to receive the sale');
	});

	it('acknowledges stored updates with the relay state vector', async () => {
		const a = connect(relay, `${CHAIN}/members/5`, cashier);
		await a.synced();
		const acks: Uint8Array[] = [];
		a.provider.ws?.addEventListener('message', (event) =>
			acks.push(new Uint8Array(event.data as ArrayBuffer))
		);
		a.doc.getMap('records').set('members/m1', { id: 'm1', phone: '13800000000' });
		// message type 0 (sync), step 0 (state vector) that covers this till's clock
		await eventually(() => acks.some((m) => m[0] === 0 && m[1] === 0), 2000, 'an acknowledgement');
	});

	it('answers a state-vector query (message 100) with a sync step 1 covering what the socket sent', async () => {
		const a = connect(relay, `${CHAIN}/members/6`, cashier);
		await a.synced();
		a.doc.getMap('records').set('members/m2', { id: 'm2', phone: '13900000000' });
		await new Promise((r) => setTimeout(r, 300)); // let the write's own acknowledgement pass
		const vectors: Map<number, number>[] = [];
		a.provider.ws?.addEventListener('message', (event) => {
			const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
			// sync (0), step 1 (0), then the state vector
			if (decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 0)
				vectors.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
		});
		a.provider.ws?.send(new Uint8Array([MESSAGE_QUERY_STATE_VECTOR]));
		await eventually(() => vectors.length > 0, 2000, 'the answer to the query');
		expect(vectors[0]?.get(a.doc.clientID)).toBe(Y.getState(a.doc.store, a.doc.clientID));
	});
});

describe('authorization at the upgrade', () => {
	it('answers 401 without a token or with a bad one, before any handshake', async () => {
		expect(await upgradeStatus(relay, `/sync/${CHAIN}/config`)).toBe(401);
		expect(await upgradeStatus(relay, `/sync/${CHAIN}/config?token=not.a.token`)).toBe(401);
		expect(await upgradeStatus(relay, `/sync/${CHAIN}/config?token=${cashier}`)).toBe(101);
	});

	it('answers 403 for another chain, another branch, or a name that is not a document', async () => {
		expect(await upgradeStatus(relay, `/sync/other-chain/config?token=${owner}`)).toBe(403);
		expect(await upgradeStatus(relay, `/sync/${CHAIN}/branch/br-02/202611?token=${cashier}`)).toBe(403);
		expect(await upgradeStatus(relay, `/sync/${CHAIN}/catalog/99?token=${owner}`)).toBe(403);
		expect(await upgradeStatus(relay, `/sync/${CHAIN}/secrets?token=${owner}`)).toBe(403);
	});

	it('never lets a y-websocket client without a token sync', async () => {
		const anonymous = connect(relay, `${CHAIN}/config`, undefined);
		await new Promise((r) => setTimeout(r, 400));
		expect(anonymous.provider.synced).toBe(false);
		anonymous.provider.destroy();
	});
});

describe('write rules', () => {
	it('applies nothing a cashier writes to the catalog, and closes it when it keeps trying', async () => {
		const catalog = `${CHAIN}/catalog/3`;
		const manager = connect(relay, catalog, owner);
		await manager.synced();
		manager.doc.getMap('records').set('styles/st1', { id: 'st1', name: '羊毛大衣' });
		const till = connect(relay, catalog, cashier);
		await till.synced();
		await eventually(
			() => till.doc.getMap('records').has('styles/st1'),
			3000,
			'the cashier to read the catalog'
		);
		const before = (await metrics()).readOnlyDropped;
		for (let i = 0; i < 3; i++)
			till.doc.getMap('records').set(`styles/hack${i}`, { id: `hack${i}`, price: 1 });
		const closed = await till.closed();
		expect(closed.code).toBe(1008);
		expect((await metrics()).readOnlyDropped).toBeGreaterThanOrEqual(before + 3);
		const fresh = connect(relay, catalog, owner);
		await fresh.synced();
		expect(Object.keys(fresh.doc.getMap('records').toJSON())).toEqual(['styles/st1']);
		expect(manager.doc.getMap('records').has('styles/hack0')).toBe(false);
		till.provider.destroy();
	});

	it('rejects a ledger-deleting update with 4403 and changes nothing', async () => {
		const a = connect(relay, LEDGER, cashier);
		await a.synced();
		a.doc.getMap('entries').set('e1', { id: 'e1', memberId: 'm1', kind: 'earn', amount: 300 });
		const b = connect(relay, LEDGER, cashier2);
		await b.synced();
		await eventually(() => b.doc.getMap('entries').has('e1'), 3000, 'the entry to reach b');
		const rejectedBefore = (await metrics()).updatesRejected;

		a.doc.getMap('entries').delete('e1');
		expect(await a.closed()).toMatchObject({ code: 4403, reason: expect.stringMatching(/append-only/) });
		expect(a.provider.shouldConnect).toBe(false); // y-websocket does not retry 44xx closes

		const fresh = connect(relay, LEDGER, owner);
		await fresh.synced();
		expect(fresh.doc.getMap('entries').toJSON()).toEqual({
			e1: { id: 'e1', memberId: 'm1', kind: 'earn', amount: 300 }
		});
		expect(b.doc.getMap('entries').has('e1')).toBe(true);
		expect((await metrics()).updatesRejected).toBe(rejectedBefore + 1);
		expect(relay.logs.some((l) => l.includes('"update rejected"') && l.includes('"device":"till-1"'))).toBe(
			true
		);
	});
});

describe('enrolment and revocation', () => {
	it('enrols a till with a one-time code, refreshes with its key, and revoking closes its socket at once', async () => {
		const created = await api(
			relay,
			'POST',
			'/api/enrolment-codes',
			{ branch: 'br-01', role: 'cashier' },
			owner
		);
		expect(created.status).toBe(201);
		const code = created.body.code as string;
		expect(code).toMatch(/^\d{8}$/);
		expect(
			(await api(relay, 'POST', '/api/enrolment-codes', { branch: 'br-01', role: 'cashier' }, cashier)).status
		).toBe(403);

		const keys = await generateDeviceKeys();
		const issued = await enrol(relay.url('/'), code, 'dev-B01-T9', keys);
		expect(issued.claims).toEqual({ chain: CHAIN, branch: 'br-01', device: 'dev-B01-T9', role: 'cashier' });
		await expect(enrol(relay.url('/'), code, 'dev-B01-T8', await generateDeviceKeys())).rejects.toMatchObject(
			{ status: 410 }
		);

		const refreshed = await refresh(relay.url('/'), 'dev-B01-T9', keys);
		const till = connect(relay, LEDGER, refreshed.token);
		await till.synced();

		const listed = await api(relay, 'GET', '/api/devices', undefined, owner);
		const row = (listed.body.devices as Array<Record<string, unknown>>).find(
			(d) => d.deviceId === 'dev-B01-T9'
		);
		expect(row).toMatchObject({ role: 'cashier', via: 'code', revokedAt: null, connections: 1 });

		const started = Date.now();
		const revoked = await api(relay, 'POST', '/api/devices/dev-B01-T9/revoke', undefined, owner);
		expect(revoked).toMatchObject({ status: 200, body: { closedSockets: 1 } });
		expect(await till.closed()).toMatchObject({ code: 4401 });
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await upgradeStatus(relay, `/sync/${LEDGER}?token=${refreshed.token}`)).toBe(401);
		await expect(refresh(relay.url('/'), 'dev-B01-T9', keys)).rejects.toBeInstanceOf(EnrolmentError);
		expect((await api(relay, 'GET', '/api/devices', undefined, cashier)).status).toBe(403);
	});

	it('mints a working token with the CLI while the relay runs', async () => {
		const { stdout } = await promisify(execFile)(
			process.execPath,
			[
				'--import',
				'tsx',
				'scripts/device-token.ts',
				'device-token',
				'--chain',
				CHAIN,
				'--branch',
				'br-02',
				'--role',
				'manager'
			],
			{ cwd: ROOT, env: { ...process.env, DATA_DIR: relay.dataDir } }
		);
		const token = stdout.trim();
		expect(await upgradeStatus(relay, `/sync/${CHAIN}/branch/br-02/202611?token=${token}`)).toBe(101);
		const doc = new Y.Doc();
		const till = connect(relay, `${CHAIN}/config`, token, doc);
		await till.synced();
	});
});

describe('monitoring', () => {
	it('keeps /healthz and serves /metrics without names or secrets', async () => {
		expect((await fetch(relay.url('/healthz'))).status).toBe(200);
		const body = await metrics();
		for (const key of [
			'connections',
			'roomsLoaded',
			'updatesApplied',
			'updatesRejected',
			'rssMb',
			'heapUsedMb',
			'uptimeS'
		] as const) {
			expect(typeof body[key]).toBe('number');
		}
		const text = JSON.stringify(body);
		expect(text).not.toContain(CHAIN);
		expect(text).not.toContain('till-1');
	});

	it('refuses API calls that are not JSON, or that do not exist', async () => {
		const res = await fetch(relay.url('/api/enrol'), { method: 'POST', body: 'code=12345678' });
		expect(res.status).toBe(415);
		expect((await api(relay, 'GET', '/api/enrol')).status).toBe(405);
		expect((await api(relay, 'GET', '/api/nothing')).status).toBe(404);
	});

	it('answers CORS preflights for the API', async () => {
		const res = await fetch(relay.url('/api/enrol'), { method: 'OPTIONS' });
		expect(res.status).toBe(204);
		expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
	});
});
