/**
 * The relay's benchmarks, against the real relay process (the built sync-server, tests/relay/harness.ts) on
 * loopback, with clients in this Node process:
 *
 *   floor      one Yjs update applied and echoed through a bare y-websocket relay (@y/websocket-server), p95
 *   round trip the same through our relay (auth, validation, persistence before forwarding)
 *   offline    a branch's offline day (2,000 sales) converging at a sister till and the owner's till elsewhere
 *   fan-out    one update reaching 100 connected tills of one document, p95 of the slowest receiver
 *   rss        the relay's resident memory and CPU with 100 tills each holding every document it syncs (config,
 *              catalog and member shards, two months of ledger shards, its branch's documents) at the data set's
 *              scale (document sizes from docs/decisions/0008), after they are connected and idle
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupWSConnection } from '@y/websocket-server/utils';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { DeviceService } from '../../sync-server/src/auth/devices';
import { DeviceRegistry } from '../../sync-server/src/auth/registry';
import { loadOrCreateSecret } from '../../sync-server/src/auth/secret';
import { MESSAGE_QUERY_STATE_VECTOR, type DeviceClaims } from '../../src/lib/sync/protocol';
import { startRelay, type RelayProcess } from '../relay/harness';
import { measureOfflineDay, OFFLINE_DAY_DEVICES } from '../sim/offlineDay';
import { CHAIN as SIM_CHAIN } from '../sim/world';
import { chainDocs, fillDoc } from './relayDocs';

export interface RelayBench {
	floorMs: number[];
	roundTripMs: number[];
	offlineDay: Awaited<ReturnType<typeof measureOfflineDay>>;
	fanoutMs: number[];
	rss: { tills: number; mb: number; idleCpuPercent: number; sockets: number; docs: number; docMb: number };
}

const TILLS = 100;
const ROUNDS = 200;
const CHAIN = 'chain-bench';

async function minter(dataDir: string) {
	const { key } = await loadOrCreateSecret(dataDir);
	const devices = new DeviceService(await DeviceRegistry.open(dataDir), key);
	return async (claims: DeviceClaims) => (await devices.registerAndMint(claims, { newChain: true })).token;
}

function provider(url: string, room: string, token?: string, doc = new Y.Doc()): WebsocketProvider {
	return new WebsocketProvider(url, room, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: token ? { token } : {}
	});
}

const synced = (p: WebsocketProvider) =>
	p.synced ? Promise.resolve() : new Promise<void>((r) => p.once('sync', () => r()));

function arrival(doc: Y.Doc, key: string): Promise<void> {
	const map = doc.getMap('records');
	if (map.has(key)) return Promise.resolve();
	return new Promise((resolve) => {
		const check = () => {
			if (!map.has(key)) return;
			map.unobserve(check);
			resolve();
		};
		map.observe(check);
	});
}

/** Time from a write at `writer` until every receiver holds it, `rounds` times. */
async function timeUpdates(writer: WebsocketProvider, receivers: WebsocketProvider[], rounds: number) {
	await Promise.all([writer, ...receivers].map(synced));
	const times: number[] = [];
	for (let i = 0; i < rounds + 10; i++) {
		const key = `members/bench-${i}-${Math.random().toString(36).slice(2)}`;
		const arrived = Promise.all(receivers.map((r) => arrival(r.doc, key)));
		const t0 = performance.now();
		writer.doc.getMap('records').set(key, { id: key.slice(8), name: '测', at: Date.now() });
		await arrived;
		if (i >= 10) times.push(performance.now() - t0); // the first ten warm up
	}
	for (const p of [writer, ...receivers]) p.destroy();
	return times;
}

/** The floor: two clients of a bare y-websocket relay in this process. */
async function bareRelayRoundTrip(rounds: number): Promise<number[]> {
	const server = http.createServer();
	const wss = new WebSocketServer({ server });
	wss.on('connection', (ws, req) => setupWSConnection(ws, req));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
	try {
		return await timeUpdates(provider(url, 'floor'), [provider(url, 'floor')], rounds);
	} finally {
		wss.close();
		server.close();
	}
}

/** A till that is up to date: one socket per document, a sync step 1 with the relay's own state vector. */
function openRawSocket(
	url: string,
	room: string,
	token: string,
	stateVector: Uint8Array
): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${url}/${room}?token=${token}`);
		ws.on('open', () => {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 0);
			encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
			encoding.writeVarUint8Array(encoder, stateVector);
			ws.send(encoding.toUint8Array(encoder));
			resolve(ws);
		});
		ws.on('error', reject);
	});
}

/**
 * Sends a whole document as one update (a sync step 2), then the state-vector query (message 100), and waits for
 * the relay's answer covering it: the relay answers only after it stored the update.
 */
function writeDocument(
	url: string,
	room: string,
	token: string,
	update: Uint8Array,
	client: number,
	clock: number
): Promise<void> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${url}/${room}?token=${token}`);
		ws.binaryType = 'arraybuffer';
		ws.on('open', () => {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 0);
			encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
			encoding.writeVarUint8Array(encoder, update);
			ws.send(encoding.toUint8Array(encoder));
			ws.send(new Uint8Array([MESSAGE_QUERY_STATE_VECTOR]));
		});
		ws.on('message', (data: ArrayBuffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data));
			if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 0) return;
			const vector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			if ((vector.get(client) ?? 0) < clock) return;
			ws.close();
			resolve();
		});
		ws.on('close', (code, reason) => reject(new Error(`${room}: closed ${code} ${reason.toString()}`)));
		ws.on('error', reject);
	});
}

/**
 * Raises a process's open-file limit (prlimit; root may raise the hard limit too) and returns the soft limit now in
 * force. Every till holds one socket per document (~217 at chain-L), so 100 tills need ~22k descriptors on each
 * side — above this machine's default of 20k. Production relays set LimitNOFILE (README, running a large chain).
 */
function raiseFdLimit(pid: number, wanted = 65_536): number {
	spawnSync('prlimit', ['--pid', String(pid), `--nofile=${wanted}:${wanted}`], { stdio: 'ignore' });
	const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
		.split('\n')
		.find((l) => l.startsWith('Max open files'));
	return Number(line?.split(/\s+/)[3] ?? 1024);
}

/** CPU seconds (user + system) the process has used, from /proc (Linux). */
function cpuSeconds(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function metrics(
	relay: RelayProcess
): Promise<{ rssMb: number; connections: number; roomsLoaded: number }> {
	return (await (await fetch(relay.url('/metrics'))).json()) as never;
}

async function residentAtScale(relay: RelayProcess, scale: number, log: (line: string) => void) {
	const mint = await minter(relay.dataDir);
	const url = `ws://127.0.0.1:${relay.port}/sync`;
	const docs = chainDocs(CHAIN, scale);
	// Branch documents are written by their own branch only: one owner token per branch.
	const writers = new Map<string, string>();
	for (const branch of new Set(docs.map((d) => d.branch ?? 'br-01')))
		writers.set(branch, await mint({ chain: CHAIN, branch, device: `bench-owner-${branch}`, role: 'owner' }));
	const vectors = new Map<string, Uint8Array>();
	let bytes = 0;
	for (const ref of docs) {
		const doc = fillDoc(ref, scale);
		const update = Y.encodeStateAsUpdate(doc);
		bytes += update.byteLength;
		vectors.set(ref.name, Y.encodeStateVector(doc));
		const token = writers.get(ref.branch ?? 'br-01') ?? '';
		await writeDocument(url, ref.name, token, update, doc.clientID, Y.getState(doc.store, doc.clientID));
		doc.destroy();
	}
	log(`  relay filled: ${docs.length} documents, ${(bytes / 1024 ** 2).toFixed(0)} MB encoded`);
	const sockets: WebSocket[] = [];
	const perTill = docs.filter((d) => !d.branch).length + docs.filter((d) => d.branch === 'br-01').length;
	const fdLimit = Math.min(raiseFdLimit(process.pid), raiseFdLimit(relay.child.pid ?? 0));
	const tills = Math.min(TILLS, Math.floor((fdLimit - 500) / perTill));
	if (tills < TILLS) log(`  only ${tills} tills fit in ${fdLimit} open files (${perTill} sockets each)`);
	const branches = [...new Set(docs.filter((d) => d.branch).map((d) => d.branch as string))];
	for (let t = 0; t < tills; t++) {
		const branch = branches[t % branches.length] ?? 'br-01';
		const token = await mint({ chain: CHAIN, branch, device: `bench-till-${t}`, role: 'cashier' });
		const mine = docs.filter((d) => !d.branch || d.branch === branch);
		sockets.push(
			...(await Promise.all(
				mine.map((d) => openRawSocket(url, d.name, token, vectors.get(d.name) ?? new Uint8Array()))
			))
		);
	}
	await new Promise((r) => setTimeout(r, 3000));
	const cpu0 = cpuSeconds(relay.child.pid ?? 0);
	await new Promise((r) => setTimeout(r, 10_000));
	const idleCpuPercent = ((cpuSeconds(relay.child.pid ?? 0) - cpu0) / 10) * 100;
	const m = await metrics(relay);
	for (const ws of sockets) ws.terminate();
	return {
		tills,
		mb: m.rssMb,
		idleCpuPercent,
		sockets: m.connections,
		docs: m.roomsLoaded,
		docMb: bytes / 1024 ** 2
	};
}

export async function benchRelay(scale: number, log: (line: string) => void): Promise<RelayBench> {
	log('relay: floor (bare y-websocket relay) and round trip through ours');
	const floorMs = await bareRelayRoundTrip(ROUNDS);
	const relay = await startRelay();
	try {
		const mint = await minter(relay.dataDir);
		const url = `ws://127.0.0.1:${relay.port}/sync`;
		const tokens = await Promise.all(
			Array.from({ length: TILLS + 1 }, (_, i) =>
				mint({ chain: CHAIN, branch: 'br-01', device: `fan-${i}`, role: 'cashier' })
			)
		);
		const room = `${CHAIN}/members/1`;
		const roundTripMs = await timeUpdates(
			provider(url, room, tokens[0]),
			[provider(url, room, tokens[1])],
			ROUNDS
		);

		log('relay: offline day (2,000 sales) on the real relay');
		const simTokens = new Map<string, string>();
		for (const spec of OFFLINE_DAY_DEVICES)
			simTokens.set(
				spec.id,
				await mint({ chain: SIM_CHAIN, branch: spec.branch, device: spec.id, role: spec.role })
			);
		const offlineDay = await measureOfflineDay({
			transport: (spec) => ({ url, token: simTokens.get(spec.id) ?? '', WebSocketPolyfill: WebSocket })
		});

		log(`relay: fan-out to ${TILLS} tills`);
		const fanRoom = `${CHAIN}/members/2`;
		const receivers = tokens.slice(1).map((t) => provider(url, fanRoom, t));
		const fanoutMs = await timeUpdates(provider(url, fanRoom, tokens[0]), receivers, ROUNDS);

		log(`relay: memory with ${TILLS} tills connected at scale ${scale}`);
		const rss = await residentAtScale(relay, scale, log);
		return { floorMs, roundTripMs, offlineDay, fanoutMs, rss };
	} finally {
		await relay.stop();
	}
}
