/**
 * Scale-out end to end: a real Redis and a real PostgreSQL (Debian packages, throw-away instances), two relay
 * processes sharing them, and y-websocket tills connected to different relays. Shows that the relays converge,
 * that an update one relay acknowledged is still served after that relay is SIGKILLed, that a till moving to
 * the surviving relay converges, and that a revocation made through one relay closes sockets on the other.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { covers, currentItem, queryMessage, watchRelayStateVector } from '../../src/lib/sync/ack';
import { runCli } from '../../sync-server/src/cli/device-token.js';
import {
	api,
	CHAIN,
	connect,
	disconnectAll,
	eventually,
	killAllRelays,
	startRelay,
	type RelayProcess,
	type Till
} from '../relay/harness.js';
import { skipScaleTests, startPostgres, startRedis, type RedisService, type Service } from './services.js';

const DOC = `${CHAIN}/branch/br-01/202611`;
const skip = skipScaleTests('tests/scale/scale-out.spec.ts');

interface Metrics {
	store: string;
	remoteApplied: number;
	bus: { connected: boolean; published: number; received: number; revocationsReceived: number } | null;
}

let redis: RedisService | undefined;
let postgres: Service | undefined;
const relays: RelayProcess[] = [];
let env: Record<string, string>;

/** A device token minted the way an operator does it: the CLI, pointed at PostgreSQL by DATABASE_URL. */
async function token(device: string, role: 'cashier' | 'owner'): Promise<string> {
	const out: string[] = [];
	const err: string[] = [];
	const args = ['--chain', CHAIN, '--branch', 'br-01', '--role', role, '--device', device];
	const code = await runCli('device-token', args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
	if (code !== 0) throw new Error(`device-token failed: ${err.join('\n')}`);
	return out[0] as string;
}

const metrics = async (relay: RelayProcess) =>
	(await api(relay, 'GET', '/metrics')).body as unknown as Metrics;

const records = (till: Till) => till.doc.getMap('records');

/** Resolves once the relay's state vector covers every record `till` has written (the relay acknowledged). */
async function acknowledged(till: Till, keys: string[]): Promise<void> {
	let relayVector: Map<number, number> | null = null;
	watchRelayStateVector(till.provider, (sv) => (relayVector = sv));
	await eventually(
		() => {
			if (
				keys.every((key) => covers(relayVector, currentItem(records(till), key) ?? { client: 0, clock: 0 }))
			)
				return true;
			if (till.provider.wsconnected) till.provider.ws?.send(queryMessage());
			return false;
		},
		10_000,
		'the relay to acknowledge the writes'
	);
}

describe.skipIf(skip)('several relays behind one address (Redis + PostgreSQL)', () => {
	let cashier1: string;
	let cashier2: string;
	let cashier3: string;
	let owner: string;

	beforeAll(async () => {
		[redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
		env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url };
		relays.push(...(await Promise.all([startRelay({ env }), startRelay({ env })])));
		[cashier1, cashier2, cashier3, owner] = await Promise.all([
			token('till-1', 'cashier'),
			token('till-2', 'cashier'),
			token('till-3', 'cashier'),
			token('owner-1', 'owner')
		]);
	}, 60_000);

	// The relays' and services' own words, when a test fails (CI shows nothing else of them).
	afterEach(({ task }) => {
		if (task.result?.state !== 'fail') return;
		for (const [i, relay] of relays.entries())
			console.error(`relay ${i + 1}:\n${relay.logs.slice(-40).join('\n')}`);
		console.error(`redis:\n${redis?.logs.slice(-10).join('\n')}`);
	});

	afterAll(async () => {
		disconnectAll();
		await Promise.allSettled(relays.map((relay) => relay.stop()));
		killAllRelays();
		await Promise.allSettled([redis?.stop(), postgres?.stop()]);
	}, 30_000);

	it('converges tills connected to different relays', async () => {
		const [one, two] = relays as [RelayProcess, RelayProcess];
		const a = connect(one, DOC, cashier1);
		const b = connect(two, DOC, cashier2);
		await Promise.all([a.synced(), b.synced()]);
		records(a).set('sales/a1', { id: 'a1', total: 12900 });
		records(b).set('sales/b1', { id: 'b1', total: 4500 });
		await eventually(
			() => records(a).has('sales/b1') && records(b).has('sales/a1'),
			10_000,
			'both tills to see both sales'
		);
		expect(records(a).toJSON()).toEqual(records(b).toJSON());

		const [m1, m2] = await Promise.all([metrics(one), metrics(two)]);
		for (const m of [m1, m2]) {
			expect(m.store).toBe('postgres');
			expect(m.bus).toMatchObject({ connected: true });
			expect(m.bus?.published).toBeGreaterThanOrEqual(1);
			expect(m.remoteApplied).toBeGreaterThanOrEqual(1);
		}
	}, 30_000);

	it('still serves what a killed relay acknowledged, and a till moving to the survivor converges', async () => {
		const [one, two] = relays as [RelayProcess, RelayProcess];
		const a = connect(one, DOC, cashier1);
		const b = connect(two, DOC, cashier2);
		await Promise.all([a.synced(), b.synced()]);

		const keys = Array.from({ length: 20 }, (_, i) => `sales/burst-${i}`);
		a.doc.transact(() => {
			for (const [i, key] of keys.entries()) records(a).set(key, { id: key, total: 100 * (i + 1) });
		});
		for (const key of keys.slice(0, 5)) records(a).set(key, { id: key, total: 1 });
		await acknowledged(a, keys);
		const acked = records(a).toJSON();
		await one.kill9();

		// A till that was never connected reads everything from the survivor (PostgreSQL + its room).
		const fresh = connect(two, DOC, cashier3);
		await fresh.synced();
		await eventually(() => keys.every((key) => records(fresh).has(key)), 10_000, 'the acknowledged burst');
		expect(records(fresh).toJSON()).toMatchObject(acked);

		// Meanwhile both tills keep selling; till 1 is offline until it reconnects to the survivor.
		records(a).set('sales/a-offline', { id: 'a-offline', total: 700 });
		records(b).set('sales/b-outage', { id: 'b-outage', total: 800 });
		a.provider.destroy();
		const moved = connect(two, DOC, cashier1, a.doc);
		await moved.synced();
		await eventually(
			() =>
				records(moved).has('sales/b-outage') &&
				records(b).has('sales/a-offline') &&
				records(fresh).has('sales/a-offline'),
			10_000,
			'the tills to converge on the surviving relay'
		);
		expect(records(b).toJSON()).toEqual(records(moved).toJSON());
		expect(records(fresh).toJSON()).toEqual(records(moved).toJSON());

		// The killed relay comes back and serves the same state from PostgreSQL.
		await one.restart();
		const late = connect(one, DOC, cashier3);
		await late.synced();
		await eventually(() => records(late).has('sales/b-outage'), 10_000, 'the restarted relay to catch up');
		expect(records(late).toJSON()).toEqual(records(moved).toJSON());
	}, 60_000);

	it('catches up on updates published while Redis was down', async () => {
		const [one, two] = relays as [RelayProcess, RelayProcess];
		const a = connect(one, DOC, cashier1);
		const c = connect(two, DOC, cashier3);
		await Promise.all([a.synced(), c.synced()]);
		const outage = (redis as RedisService).crashAndRestart(500);
		await new Promise((r) => setTimeout(r, 100));
		records(a).set('sales/redis-down', { id: 'redis-down', total: 900 });
		await acknowledged(a, ['sales/redis-down']);
		await outage;
		await eventually(() => records(c).has('sales/redis-down'), 15_000, 'the update stored during the outage');
		const deadline = Date.now() + 15_000;
		for (const relay of [one, two]) {
			while (!(await metrics(relay)).bus?.connected) {
				if (Date.now() > deadline) throw new Error(`relay on port ${relay.port} did not reconnect to Redis`);
				await new Promise((r) => setTimeout(r, 100));
			}
		}
	}, 40_000);

	it('closes a revoked device’s sockets on every relay', async () => {
		const [one, two] = relays as [RelayProcess, RelayProcess];
		const b = connect(two, DOC, cashier2);
		await b.synced();
		const revoked = await api(one, 'POST', '/api/devices/till-2/revoke', undefined, owner);
		expect(revoked.status).toBe(200);
		const timeout = new Promise((_, reject) =>
			setTimeout(() => reject(new Error('relay 2 did not close the revoked till')), 10_000)
		);
		expect(await Promise.race([b.closed(), timeout])).toMatchObject({ code: 4401 });
		expect((await metrics(two)).bus?.revocationsReceived).toBeGreaterThanOrEqual(1);
	}, 30_000);
});
