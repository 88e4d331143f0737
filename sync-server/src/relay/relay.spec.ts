/**
 * The relay in-process, with a minimal y-protocols client: liveness, token expiry and room unload/reload.
 * (tests/relay/ drives a real sync-server process with y-websocket's own client.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { createLogger } from '../log.js';
import { createServer, type BranchlineServer } from '../server.js';
import { MESSAGE_SYNC } from './messages.js';
import { startRelay, type RunningRelay } from './start.js';

let base: string;
let server: BranchlineServer;
let running: RunningRelay;
let port: number;
let relayNow = Date.now();

beforeAll(async () => {
	base = mkdtempSync(path.join(tmpdir(), 'branchline-relay-'));
	const logger = createLogger({ level: 'silent' });
	server = createServer({ staticDir: base, dataDir: base, logger });
	running = await startRelay({
		server,
		dataDir: base,
		logger,
		fsync: false,
		relay: { pingIntervalMs: 100, roomIdleMs: 50, now: () => relayNow }
	});
	await running.devices.ensureChain('c1', 'cli');
	port = (await server.listen(0, '127.0.0.1')).port;
});

afterAll(async () => {
	await running.close();
	await server.close();
	rmSync(base, { recursive: true, force: true });
});

/** A bare client: answers sync messages like y-websocket does and records close codes. */
function client(room: string, token: string, doc = new Y.Doc()) {
	const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/${room}?token=${token}`);
	let synced = false;
	const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	ws.on('message', (data: Buffer) => {
		const decoder = decoding.createDecoder(new Uint8Array(data));
		if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		const type = syncProtocol.readSyncMessage(decoder, encoder, doc, 'relay');
		if (type === syncProtocol.messageYjsSyncStep2) synced = true;
		if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
	});
	ws.on('open', () => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(encoder, doc);
		ws.send(encoding.toUint8Array(encoder));
	});
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin === 'relay' || ws.readyState !== WebSocket.OPEN) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeUpdate(encoder, update);
		ws.send(encoding.toUint8Array(encoder));
	});
	return { ws, doc, closed, isSynced: () => synced };
}

async function until(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

const token = async (device: string, ttlSeconds?: number) =>
	(
		await running.devices.registerAndMint(
			{ chain: 'c1', branch: 'b1', device, role: 'cashier' },
			{ ttlSeconds }
		)
	).token;

describe('relay lifecycle', () => {
	it('unloads an empty room after persisting, and serves its state again from disk', async () => {
		const writer = client('c1/members/1', await token('w1'));
		await until(writer.isSynced, 'first sync');
		writer.doc.getMap('records').set('members/m1', { id: 'm1' });
		await until(() => running.relay.metrics().updatesApplied === 1, 'the update to be applied');
		writer.ws.close();
		await until(() => running.relay.metrics().roomsLoaded === 0, 'the room to unload');

		const reader = client('c1/members/1', await token('r1'));
		await until(reader.isSynced, 'sync after reload');
		expect(reader.doc.getMap('records').toJSON()).toEqual({ 'members/m1': { id: 'm1' } });
		reader.ws.close();
	});

	it('closes a socket whose token expires with 4001 (the till reconnects with a fresh token)', async () => {
		const till = client('c1/config', await token('short', 120));
		await until(till.isSynced, 'sync');
		relayNow += 121_000;
		expect(await till.closed).toBe(4001);
		relayNow = Date.now();
	});

	it('terminates a socket that stops answering pings', async () => {
		const till = client('c1/config', await token('sleepy'));
		await until(till.isSynced, 'sync');
		const opened = running.relay.metrics().connections;
		// A paused socket reads nothing, so it never answers a ping: like a till whose network vanished.
		(till.ws as unknown as { _socket: { pause(): void } })._socket.pause();
		await until(
			() => running.relay.metrics().connections === opened - 1,
			'the dead socket to be dropped',
			3000
		);
		till.ws.terminate();
	});
});
