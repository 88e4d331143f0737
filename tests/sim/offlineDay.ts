/**
 * Benchmark hook for the budget "a branch's offline day (2,000 sales) converges with the others <= 3 s after
 * reconnect". A till sells offline all day (half the sales to members, so the ledger documents fill up too); then
 * it reconnects and the clock runs until
 *   - its outbox is empty (the relay acknowledged every row),
 *   - a sister till of the same branch holds every sale, and
 *   - the owner's till at another branch holds every sale and every ledger entry of the day.
 *
 * The transport is a parameter: the in-process relay by default; pass `transport` to point the three engines at
 * the real relay on loopback (url, a WebSocket class such as ws's, and a token per device).
 *
 *   npx tsx tests/sim/offlineDay.ts [sales]
 */
import 'fake-indexeddb/auto';
import type { EngineOptions } from '../../src/lib/sync/engine';
import type { MemberRow } from '../../src/lib/storage/db';
import { SimNetwork } from './net';
import { commitRandomSale, enrolRandom } from './ops';
import { SimRelay } from './relay';
import { baseChain, seedBase, SimDevice, waitFor, type DeviceSpec } from './world';
import { createRng } from '../../src/lib/demo/prng';

export interface OfflineDayOptions {
	sales?: number;
	seed?: string;
	/** Engine options per device that select the relay (url, token, WebSocketPolyfill); the in-process relay if absent. */
	transport?: (device: DeviceSpec) => Partial<EngineOptions>;
	timeoutMs?: number;
}

export interface OfflineDayResult {
	sales: number;
	ledgerEntries: number;
	outboxRows: number;
	/** Reconnect → the offline till's outbox empty (every row acknowledged). */
	pushedMs: number;
	/** Reconnect → the sister till and the other branch hold everything. */
	convergedMs: number;
}

/** The three tills: the one that sells offline, its sister at the same branch, the owner's till at another. */
export const OFFLINE_DAY_DEVICES: DeviceSpec[] = [
	{ id: 'dev-B01-T1', branch: 'br-B01', branchCode: 'B01', tillCode: 'T1', role: 'cashier' },
	{ id: 'dev-B01-T2', branch: 'br-B01', branchCode: 'B01', tillCode: 'T2', role: 'cashier' },
	{ id: 'dev-B02-T1', branch: 'br-B02', branchCode: 'B02', tillCode: 'T1', role: 'owner' }
];

export async function measureOfflineDay(options: OfflineDayOptions = {}): Promise<OfflineDayResult> {
	const count = options.sales ?? 2_000;
	const rng = createRng(options.seed ?? 'offline-day');
	const net = new SimNetwork(new SimRelay());
	net.auto = true;
	const run = `offline-${Date.now()}`;
	const [till, sister, other] = OFFLINE_DAY_DEVICES.map(
		(spec) => new SimDevice(spec, `${run}-${spec.id}`, net, { retryMs: 500, ...options.transport?.(spec) })
	) as [SimDevice, SimDevice, SimDevice];
	const devices = [till, sister, other];
	try {
		const base = baseChain(2, 24);
		for (const d of devices) await seedBase(d.db, base);
		for (const d of devices) await d.start();
		// The day's regulars, enrolled while online (their profiles are everywhere before the day starts).
		const members: MemberRow[] = [];
		for (let i = 0; i < 50; i++) {
			const m = await enrolRandom(till, () => rng.next(), 1_000_000);
			if (m) members.push(m);
		}
		till.notify();
		await waitFor(async () => (await till.db.outbox.count()) === 0, 60_000);

		till.engine!.setOnline(false);
		const ledgerBefore = await till.db.ledger.count();
		for (let i = 0; i < count; i++) {
			await commitRandomSale(till, () => rng.next(), i % 2 ? rng.pick(members) : null);
			if (i % 100 === 0) till.notify();
		}
		till.notify();
		await till.engine!.idle();
		const outboxRows = await till.db.outbox.count();
		const sales = await till.db.sales.count();
		const entries = (await till.db.ledger.count()) - ledgerBefore;
		const ledgerTotal = await till.db.ledger.count();

		const t0 = performance.now();
		till.engine!.setOnline(true);
		let pushedMs = 0;
		await waitFor(
			async () => {
				if (!pushedMs && (await till.db.outbox.count()) === 0) pushedMs = performance.now() - t0;
				return (
					pushedMs > 0 &&
					(await sister.db.sales.count()) === sales &&
					(await other.db.sales.count()) === sales &&
					(await other.db.ledger.count()) === ledgerTotal
				);
			},
			options.timeoutMs ?? 120_000,
			5
		);
		const convergedMs = performance.now() - t0;
		return {
			sales,
			ledgerEntries: entries,
			outboxRows,
			pushedMs: Math.round(pushedMs),
			convergedMs: Math.round(convergedMs)
		};
	} finally {
		for (const d of devices) {
			await d.stop();
			d.db.close();
			await d.db.delete();
		}
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const sales = Number(process.argv[2] ?? 2_000);
	console.log(JSON.stringify(await measureOfflineDay({ sales })));
	process.exit(0);
}
