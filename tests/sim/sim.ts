/**
 * The multi-branch simulation (in the manner of yjs' tests/testHelper.js: seeded choices, random delivery order,
 * random disconnects, then full-state equality). Devices in several branches sell, enrol, top up, spend, edit
 * profiles and the catalog while the network loses, duplicates and reorders messages, devices are cut off, the
 * relay restarts (keeping its store) and engines restart (keeping their documents). Then everything is healed and
 * synced, and check.ts asserts convergence and the money invariants.
 */
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { DomainError } from '../../src/lib/domain/errors';
import { createRng, type Rng } from '../../src/lib/demo/prng';
import type { EngineOptions } from '../../src/lib/sync/engine';
import { checkWorld, EMPTY, type CheckResult } from './check';
import { MemberTrace } from './trace';
import { NO_FAULTS, SimNetwork } from './net';
import {
	commitRandomSale,
	randomRow,
	editCatalogRandom,
	editRandom,
	enrolRandom,
	mergeFirstDuplicate,
	receiveRandom,
	topUpRandom
} from './ops';
import { RelayStore, SimRelay } from './relay';
import { baseChain, seedBase, SimDevice, waitFor, type DeviceSpec } from './world';

export interface SimOptions {
	seed: string;
	devices: number;
	branches: number;
	ops: number;
	/** How long the healed chain may take to settle before the checks run anyway (default 60 s). */
	settleMs?: number;
	/** y-indexeddb on fake-indexeddb for the documents, or memory (default; the engine tests cover y-indexeddb). */
	persistence?: 'indexeddb' | 'memory';
	/** Replaces the engine's materializer (to prove the checks catch a broken one). */
	engine?: Partial<EngineOptions>;
}

export interface SimResult extends CheckResult {
	ops: number;
	ms: number;
	stats: Record<string, number>;
}

type Op = 'sale' | 'memberSale' | 'enrol' | 'topUp' | 'edit' | 'catalog' | 'receive' | 'merge';
const OPS: (readonly [Op, number])[] = [
	['sale', 30],
	['memberSale', 30],
	['enrol', 12],
	['topUp', 10],
	['edit', 8],
	['catalog', 5],
	['receive', 4],
	['merge', 2]
];

const tick = () => new Promise((r) => setTimeout(r, 0));

function specs(devices: number, branches: number): DeviceSpec[] {
	return Array.from({ length: devices }, (_, i) => {
		const b = i % branches;
		const code = `B${String(b + 1).padStart(2, '0')}`;
		const till = Math.floor(i / branches) + 1;
		return {
			id: `dev-${code}-T${till}`,
			branch: `br-${code}`,
			branchCode: code,
			tillCode: `T${till}`,
			// Each branch's first till is its manager's; the chain owner works at the first branch.
			role: i === 0 ? 'owner' : till === 1 ? 'manager' : 'cashier'
		};
	});
}

async function operate(d: SimDevice, op: Op, rng: Rng, poolSize: number): Promise<boolean> {
	const rand = () => rng.next();
	const picked = await randomRow(d.db.members, rand);
	const member = picked && picked.phone !== '' ? picked : null;
	switch (op) {
		case 'sale':
			await commitRandomSale(d, rand, null);
			return true;
		case 'memberSale':
			if (!member) return false;
			try {
				await commitRandomSale(d, rand, member);
			} catch (error) {
				// A spend the till's own fold refuses (another tab spent it): nothing was written.
				if (error instanceof DomainError) return false;
				throw error;
			}
			return true;
		case 'enrol':
			return (await enrolRandom(d, rand, poolSize)) !== null;
		case 'topUp':
			if (!member) return false;
			await topUpRandom(d, rand, member);
			return true;
		case 'edit':
			if (!member) return false;
			await editRandom(d, rand, member);
			return true;
		case 'catalog':
			if (d.spec.role === 'cashier') return false;
			await editCatalogRandom(d, rand);
			return true;
		case 'receive':
			await receiveRandom(d, rand);
			return true;
		case 'merge':
			return mergeFirstDuplicate(d);
	}
}

export async function runSimulation(options: SimOptions): Promise<SimResult> {
	const t0 = Date.now();
	const rng = createRng(options.seed);
	const faults = rng.fork('faults');
	const store = new RelayStore();
	const wire = rng.fork('network');
	const net = new SimNetwork(new SimRelay(store), () => wire.next());
	net.faults = { drop: 0.02, duplicate: 0.02, window: 8 };
	const traces = new Map<string, MemberTrace>();
	const devices = specs(options.devices, options.branches).map((s) => {
		const trace = process.env.SIM_TRACE ? new MemberTrace() : null;
		if (trace) traces.set(s.id, trace);
		const engine = trace ? { ...options.engine, materializer: trace.materializer() } : options.engine;
		const device = new SimDevice(
			s,
			`sim-${options.seed}-${s.id}`,
			net,
			engine,
			options.persistence ?? 'memory'
		);
		trace?.watch(device.db);
		return device;
	});
	const base = baseChain(options.branches, 24);
	const stats = {
		partitions: 0,
		relayRestarts: 0,
		engineRestarts: 0,
		fallbackSales: 0,
		merges: 0,
		engineErrors: 0,
		materialized: 0,
		reasserted: 0,
		batches: 0,
		setupMs: 0,
		opsMs: 0,
		healMs: 0
	};
	try {
		await Promise.all(devices.map((d) => seedBase(d.db, base)));
		await Promise.all(devices.map((d) => d.start()));
		stats.setupMs = Date.now() - t0;
		let done = 0;
		// A small pool of phones: two branches that have not heard from each other yet enrol the same person.
		const poolSize = Math.max(20, Math.floor(options.ops / 25));
		for (let i = 0; i < options.ops; i++) {
			if (faults.chance(0.01)) {
				net.partition(faults.pick(devices).spec.id);
				stats.partitions++;
			}
			if (faults.chance(0.02)) net.heal(faults.pick(devices).spec.id);
			// At least one relay restart and one till restart per run, more at random.
			const third = Math.floor(options.ops / 3);
			if (i === third || faults.chance(0.0015)) {
				net.relay.restart();
				stats.relayRestarts++;
			}
			if (i === 2 * third || faults.chance(0.0015)) {
				// A till restarts: its engine reloads its documents and outbox from local storage.
				const d = faults.pick(devices);
				await d.stop();
				await d.start();
				stats.engineRestarts++;
			}
			const op = rng.weighted(OPS);
			// Merges are the owner's (one device, so two merges of one pair never race).
			const d = op === 'merge' ? devices[0]! : rng.pick(devices);
			// An operation that does not apply here (no member yet, a cashier editing the catalog) becomes a sale.
			if (await operate(d, op, rng, poolSize)) {
				if (op === 'merge') stats.merges++;
			} else {
				stats.fallbackSales++;
				await commitRandomSale(d, () => rng.next(), null);
			}
			done++;
			d.notify();
			// Usually the network keeps up; sometimes a backlog builds (a slow link) and drains later.
			net.deliver(20 + Math.ceil(net.pending * wire.next() * 0.6));
			if (i % 5 === 0) await tick();
		}
		stats.opsMs = Date.now() - t0 - stats.setupMs;
		// Heal: everyone reachable, no more faults, every socket reopened (a fresh sync both ways).
		net.heal();
		net.faults = NO_FAULTS;
		net.auto = true;
		for (const d of devices) for (const handle of d.engine!.openDocs.values()) handle.reconnect();
		net.deliver();
		let settled = true;
		await waitFor(
			async () => {
				// Cheap conditions first: the document comparison walks every open document of every device.
				if (net.pending) return false;
				for (const d of devices) if ((await d.db.outbox.count()) > 0) return false;
				for (const d of devices)
					for (const [name, handle] of d.engine!.openDocs) {
						const relayDoc = net.relay.doc(name);
						if (relayDoc && !sameState(relayDoc, handle.doc)) return false;
					}
				await Promise.all(devices.map((d) => d.engine!.idle()));
				return true;
			},
			options.settleMs ?? 60_000,
			50
		).catch(() => (settled = false));
		await Promise.all(devices.map((d) => d.engine!.idle()));
		stats.healMs = Date.now() - t0 - stats.setupMs - stats.opsMs;
		for (const d of devices) {
			stats.materialized += d.counters.materialized + d.engine!.counters.materialized;
			stats.reasserted += d.counters.reasserted + d.engine!.counters.reasserted;
			stats.batches += d.counters.batches + d.engine!.counters.batches;
		}
		const check = await checkWorld(devices, net.relay, Date.now());
		// SIM_TRACE=1: the history of the first member that differs, on the two devices compared.
		const differs = /members differs between (\S+) and (\S+): ([0-9a-f-]+):/.exec(check.problems.join('\n'));
		const errors = devices.flatMap((d) =>
			d.logs.filter((l) => l.level === 'error').map((l) => `${d.spec.id} ${l.message}`)
		);
		stats.engineErrors = errors.length;
		if (errors.length) check.problems.push(`engine errors: ${errors.slice(0, 3).join(' | ')}`);
		if (differs)
			for (const device of [differs[1]!, differs[2]!])
				if (traces.has(device))
					check.problems.push(`${device}: ${traces.get(device)!.history(differs[3]!).join(' | ')}`);
		if (!settled)
			check.problems.unshift(`the chain did not settle within ${options.settleMs ?? 60_000} ms of healing`);
		return {
			...check,
			converged: check.converged && settled,
			ops: done,
			ms: Date.now() - t0,
			stats: { ...stats, ...net.stats, ...net.relay.stats }
		};
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return { ...EMPTY, problems: [message], ops: 0, ms: Date.now() - t0, stats };
	} finally {
		for (const d of devices) {
			await d.stop();
			d.db.close();
			await d.db.delete();
		}
		// The documents' y-indexeddb databases too (fake-indexeddb keeps them in memory).
		for (const { name } of await indexedDB.databases())
			if (name?.startsWith(`sim-${options.seed}-`)) indexedDB.deleteDatabase(name);
	}
}

/** Same state vector (every client's clock): both documents hold the same updates. */
function sameState(a: Y.Doc, b: Y.Doc): boolean {
	const sa = Y.decodeStateVector(Y.encodeStateVector(a));
	const sb = Y.decodeStateVector(Y.encodeStateVector(b));
	if (sa.size !== sb.size) return false;
	for (const [client, clock] of sa) if (sb.get(client) !== clock) return false;
	return true;
}
